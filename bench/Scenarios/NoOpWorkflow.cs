using Microsoft.Agents.AI.Workflows;

namespace AgentAspire.Bench.Scenarios;

/// <summary>The 3-step no-op Agent Framework workflow: three executors pass a short message along, one superstep each.</summary>
internal static class NoOpWorkflow
{
    public const string Input = "valkey";

    public const string Output = "valkey>1>2>3";

    /// <summary>Checkpoints Agent Framework commits per run: one at the end of each superstep.</summary>
    public const int Checkpoints = 3;

    /// <summary>A new instance, as a worker builds one per run.</summary>
    public static Workflow Build()
    {
        var first = ((Func<string, string>)(message => message + ">1")).BindAsExecutor("step1");
        var second = ((Func<string, string>)(message => message + ">2")).BindAsExecutor("step2");
        var third = ((Func<string, string>)(message => message + ">3")).BindAsExecutor("step3");
        return new WorkflowBuilder(first)
            .AddEdge(first, second)
            .AddEdge(second, third)
            .WithOutputFrom(third)
            .Build();
    }

    /// <summary>Runs the workflow to completion, checkpointed by <paramref name="manager"/>; throws unless it yields the expected output.</summary>
    public static async Task RunAsync(CheckpointManager manager, string sessionId)
    {
        string? output = null;
        await using var run = await InProcessExecution.RunStreamingAsync(Build(), Input, manager, sessionId).ConfigureAwait(false);
        await foreach (var evt in run.WatchStreamAsync().ConfigureAwait(false))
        {
            switch (evt)
            {
                case WorkflowOutputEvent { Data: string data }:
                    output = data;
                    break;
                case WorkflowErrorEvent error:
                    throw new InvalidOperationException($"Workflow {sessionId} failed: {error.Exception?.Message}", error.Exception);
                case ExecutorFailedEvent failed:
                    throw new InvalidOperationException($"Executor {failed.ExecutorId} of workflow {sessionId} failed: {failed.Data?.Message}", failed.Data);
            }
        }

        if (output != Output)
        {
            throw new InvalidOperationException($"Workflow {sessionId} yielded '{output}', expected '{Output}'.");
        }
    }
}
