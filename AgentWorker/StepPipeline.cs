using AgentAspire.Agents.Journaling;
using AgentAspire.AgentState;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace AgentAspire.AgentWorker;

/// <summary>Per-step resilience: a timeout per attempt inside exponential retries with jitter, built once per worker.</summary>
public sealed class StepPipeline
{
    // Each step has its own retry listener; it travels in the context so the pipeline is shared by every step.
    private static readonly ResiliencePropertyKey<Func<int, Exception, ValueTask>> RetryListener = new("agent.step.retry-listener");

    private readonly ResiliencePipeline _pipeline;

    public StepPipeline(IOptions<WorkerOptions> options, TimeProvider timeProvider)
    {
        var settings = options.Value;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.StepRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.StepRetryDelay,
                // A cancelled run is not a failure to retry, nor a run that waits for a person or was refused more budget;
                // a step that timed out is. A fault of Valkey inside the step (a journal or cache write that timed out)
                // is not the step's failure either: it ends the attempt, and the run resumes from its last commit.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex =>
                    ex is TimeoutRejectedException
                    || (!ValkeyFaults.IsInfrastructure(ex) && ex is not (OperationCanceledException or RunPausedException or BudgetRejectedException or ReplayDivergedException))),
                OnRetry = args => args.Context.Properties.TryGetValue(RetryListener, out var listener)
                    ? listener(args.AttemptNumber + 1, args.Outcome.Exception!)
                    : ValueTask.CompletedTask,
            })
            .AddTimeout(settings.StepTimeout)
            .Build();
    }

    /// <summary>Runs <paramref name="step"/> with retries; <paramref name="onRetry"/> hears of every failed attempt that is retried.</summary>
    public async ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> step, Func<int, Exception, ValueTask> onRetry, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RetryListener, onRetry);
        try
        {
            return await _pipeline.ExecuteAsync(static (context, step) => step(context.CancellationToken), context, step).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
