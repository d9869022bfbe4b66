namespace AgentAspire.AgentWorker.Tests.TestAgents;

/// <summary>
/// What a test sees of and decides for the <see cref="GateAgent"/>'s steps: when the gated step is entered, whether
/// its cancellation token fired, when it may finish, and how often each step and the tool ran. One per test, shared
/// by every worker host of the test.
/// </summary>
public sealed class StepGate
{
    private int _prepareRuns;
    private int _waitRuns;
    private int _finishRuns;
    private int _toolCalls;
    private int _failingAttempts;

    /// <summary>Completes when the gated step has started (after its tool call) and waits on <see cref="Open"/>.</summary>
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed by the test to let the gated step finish.</summary>
    public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the gated step's cancellation token fired while it waited.</summary>
    public TaskCompletionSource CancellationSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the gated step returned its result (only when it ignores its token).</summary>
    public TaskCompletionSource Returned { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether the gated step stops when its token fires (true) or waits for <see cref="Open"/> regardless, as a step blind to cancellation would.</summary>
    public bool HonoursCancellation { get; init; } = true;

    public int PrepareRuns => Volatile.Read(ref _prepareRuns);

    public int WaitRuns => Volatile.Read(ref _waitRuns);

    public int FinishRuns => Volatile.Read(ref _finishRuns);

    /// <summary>How often the counting tool really ran (cache hits do not count).</summary>
    public int ToolCalls => Volatile.Read(ref _toolCalls);

    public int FailingAttempts => Volatile.Read(ref _failingAttempts);

    internal void PrepareRan() => Interlocked.Increment(ref _prepareRuns);

    internal void WaitRan() => Interlocked.Increment(ref _waitRuns);

    internal void FinishRan() => Interlocked.Increment(ref _finishRuns);

    internal void ToolRan() => Interlocked.Increment(ref _toolCalls);

    internal int FailingAttempted() => Interlocked.Increment(ref _failingAttempts);
}
