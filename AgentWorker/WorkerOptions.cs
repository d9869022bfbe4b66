namespace AgentAspire.AgentWorker;

/// <summary>How a worker process runs agents (configuration section <c>Worker</c>).</summary>
public sealed class WorkerOptions
{
    /// <summary>Name of this worker: its queue consumer name and the <c>worker</c> field of its log entries. Default: host name and process id.</summary>
    public string Name { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>How many runs this process executes at once. Default 32.</summary>
    public int MaxConcurrentRuns { get; set; } = 32;

    /// <summary>How often an idle worker looks at the queue when no signal wakes it. Default 1 second.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one attempt of a step may take. Default 5 minutes.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many times a failing step is retried before the run fails. Default 3.</summary>
    public int StepRetries { get; set; } = 3;

    /// <summary>The first retry delay; later ones grow exponentially, with jitter. Default 200 ms.</summary>
    public TimeSpan StepRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}
