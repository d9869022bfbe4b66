namespace AgentAspire.AgentState;

/// <summary>Retention, lease and queue settings of the AgentState library (configuration section <c>AgentState</c>).</summary>
public sealed class AgentStateOptions
{
    /// <summary>How long a run's state, log and index entry live after its last change. Default 24 hours.</summary>
    public TimeSpan RunTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Approximate cap of a run's activity log (<c>XADD MAXLEN ~</c>). Default 10,000 entries.</summary>
    public int LogMaxLength { get; set; } = 10_000;

    /// <summary>How long a lease lasts unless renewed; also how long a dead worker's run waits to be taken over. Default 30 seconds.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many deliveries of a run in a row may end without a commit (its worker died on the same step each time)
    /// before the next claim fails it and dead-letters its entry. A commit or a status change starts the count again,
    /// so a run that makes progress between deaths is never failed for them. Default 5.
    /// </summary>
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>Approximate cap of the dead-letter stream. Default 10,000 entries.</summary>
    public int DeadLetterMaxLength { get; set; } = 10_000;

    /// <summary>
    /// How long a tool-cache stampede lock lasts unless its holder renews it (it does, every third of this, while the
    /// tool runs). When the holder dies, waiters take the lock over within this time. Default 5 seconds.
    /// </summary>
    public TimeSpan ToolLockLease { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many streams the work queue is sharded over (<c>agent:runs:{q0}</c> …), each on its own cluster slot, so
    /// queue traffic spreads over the primaries of a cluster. Default 4. Every process must use the same value;
    /// change it only while the queue is empty (entries on a shard no longer read would wait forever).
    /// </summary>
    public int QueueShards { get; set; } = 4;

    /// <summary>The largest <see cref="QueueShards"/>.</summary>
    public const int MaxQueueShards = 64;

    /// <summary>The largest step result stored, in UTF-8 bytes of its JSON; a larger one fails the commit. Default 1 MB.</summary>
    public int MaxStepResultBytes { get; set; } = 1024 * 1024;

    /// <summary>The largest details of one log entry, in UTF-8 bytes of their JSON; larger ones fail the append. Default 64 KB.</summary>
    public int MaxLogDetailsBytes { get; set; } = 64 * 1024;

    internal long RunTtlSeconds => (long)Math.Ceiling(RunTtl.TotalSeconds);

    internal long LeaseMilliseconds => (long)Math.Ceiling(LeaseDuration.TotalMilliseconds);

    internal void Validate()
    {
        if (RunTtl < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(RunTtl), RunTtl, "RunTtl must be at least one second.");
        }

        if (LogMaxLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(LogMaxLength), LogMaxLength, "LogMaxLength must be positive.");
        }

        if (LeaseDuration < TimeSpan.FromMilliseconds(100))
        {
            throw new ArgumentOutOfRangeException(nameof(LeaseDuration), LeaseDuration, "LeaseDuration must be at least 100 ms.");
        }

        if (MaxDeliveries < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDeliveries), MaxDeliveries, "MaxDeliveries must be positive.");
        }

        if (QueueShards is < 1 or > MaxQueueShards)
        {
            throw new ArgumentOutOfRangeException(nameof(QueueShards), QueueShards, $"QueueShards must be between 1 and {MaxQueueShards}.");
        }

        if (ToolLockLease < TimeSpan.FromMilliseconds(100))
        {
            throw new ArgumentOutOfRangeException(nameof(ToolLockLease), ToolLockLease, "ToolLockLease must be at least 100 ms.");
        }

        if (MaxStepResultBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxStepResultBytes), MaxStepResultBytes, "MaxStepResultBytes must be positive.");
        }

        if (MaxLogDetailsBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLogDetailsBytes), MaxLogDetailsBytes, "MaxLogDetailsBytes must be positive.");
        }
    }
}
