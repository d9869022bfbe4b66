namespace AgentAspire.AgentWorker;

/// <summary>How a worker process runs agents (configuration section <c>Worker</c>).</summary>
public sealed class WorkerOptions
{
    /// <summary>The configuration section of these options.</summary>
    public const string Section = "Worker";

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

    /// <summary>What is wrong with these settings, one sentence each; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("Worker:Name must not be empty.");
        }

        if (MaxConcurrentRuns < 1)
        {
            problems.Add($"Worker:MaxConcurrentRuns is {MaxConcurrentRuns}; it must be at least 1, or the worker never runs anything.");
        }

        if (PollInterval <= TimeSpan.Zero)
        {
            problems.Add("Worker:PollInterval must be positive.");
        }

        if (StepTimeout <= TimeSpan.Zero)
        {
            problems.Add("Worker:StepTimeout must be positive.");
        }

        if (StepRetries < 0)
        {
            problems.Add("Worker:StepRetries must not be negative.");
        }

        if (StepRetryDelay <= TimeSpan.Zero)
        {
            problems.Add("Worker:StepRetryDelay must be positive.");
        }

        return problems;
    }
}
