namespace AgentAspire.LogViewer.Runs;

/// <summary>
/// Coalesces bursts of signals into one call of <c>action</c> at most every <c>delay</c>: a page re-reads once per
/// burst of log appends instead of once per entry.
/// </summary>
public sealed class Debouncer(TimeSpan delay, Func<Task> action) : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private int _scheduled;

    /// <summary>Asks for a call; does nothing when one is already scheduled.</summary>
    public void Signal()
    {
        if (_disposed.IsCancellationRequested || Interlocked.Exchange(ref _scheduled, 1) == 1)
        {
            return;
        }

        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            await Task.Delay(delay, _disposed.Token);
            Interlocked.Exchange(ref _scheduled, 0);
            await action();
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
