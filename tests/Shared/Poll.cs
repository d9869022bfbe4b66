using System.Diagnostics;

namespace AgentAspire.Tests;

/// <summary>
/// The one way a test waits for something it cannot await: ask again every few milliseconds until the answer is
/// yes, and fail with what was awaited (and, if given, the state that explains why) when the time is up.
/// </summary>
internal static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Polls <paramref name="condition"/> until it holds; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    /// <param name="condition">The question; asked at once, then every 50 ms.</param>
    /// <param name="timeout">How long to keep asking.</param>
    /// <param name="what">What was awaited, for the failure message ("the run to complete").</param>
    /// <param name="state">Appended to the failure message: what the test saw last (a log, a status).</param>
    /// <param name="retryOn">Exceptions of <paramref name="condition"/> that mean "not yet" rather than failure.</param>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? state = null,
        Func<Exception, bool>? retryOn = null) =>
        await UntilValueAsync(async () => await condition().ConfigureAwait(false) ? "" : null, timeout, what, state, retryOn).ConfigureAwait(false);

    /// <summary>Polls <paramref name="probe"/> until it answers a value, and returns that value.</summary>
    /// <inheritdoc cref="UntilAsync" path="/param"/>
    /// <param name="probe">The question; null means "not yet".</param>
    public static async Task<T> UntilValueAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, Func<string>? state = null,
        Func<Exception, bool>? retryOn = null)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await probe().ConfigureAwait(false) is { } value)
                {
                    return value;
                }
            }
            catch (Exception ex) when (retryOn?.Invoke(ex) == true)
            {
                // Not yet: the condition's own failure is one the caller expects while it waits.
            }

            if (clock.Elapsed > timeout)
            {
                var seen = state?.Invoke();
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {what}.{(string.IsNullOrEmpty(seen) ? "" : " " + seen)}");
            }

            // The test's own token: a test that is cancelled or times out stops waiting at once.
            await Task.Delay(Interval, Xunit.TestContext.Current.CancellationToken).ConfigureAwait(false);
        }
    }
}
