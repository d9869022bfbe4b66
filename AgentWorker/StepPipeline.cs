using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace AgentAspire.AgentWorker;

/// <summary>Per-step resilience: a timeout per attempt inside exponential retries with jitter.</summary>
public sealed class StepPipeline(IOptions<WorkerOptions> options, TimeProvider timeProvider)
{
    /// <summary>Runs <paramref name="step"/> with retries; <paramref name="onRetry"/> hears of every failed attempt that is retried.</summary>
    public ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> step, Func<int, Exception, ValueTask> onRetry, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var pipeline = new ResiliencePipelineBuilder<T> { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions<T>
            {
                MaxRetryAttempts = settings.StepRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.StepRetryDelay,
                // A cancelled run is not a failure to retry; a step that timed out is.
                ShouldHandle = new PredicateBuilder<T>().Handle<Exception>(ex => ex is not OperationCanceledException || ex is TimeoutRejectedException),
                OnRetry = args => onRetry(args.AttemptNumber + 1, args.Outcome.Exception!),
            })
            .AddTimeout(settings.StepTimeout)
            .Build();
        return pipeline.ExecuteAsync(step, cancellationToken);
    }
}
