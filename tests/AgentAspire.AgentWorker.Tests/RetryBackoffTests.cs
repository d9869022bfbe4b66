using Microsoft.Extensions.Options;

namespace AgentAspire.AgentWorker.Tests;

/// <summary>A failing step is retried after delays that grow (exponential backoff) and differ between runs (jitter).</summary>
public sealed class RetryBackoffTests
{
    private const int Retries = 3;
    private const int Executions = 8;

    [Fact(Timeout = 30_000)]
    public async Task Retry_delays_grow_from_retry_to_retry_and_vary_between_executions()
    {
        // Arrange: the step pipeline of a worker, on a clock that notes every delay asked of it
        var clock = new DelayRecorder();
        var options = Options.Create(new WorkerOptions
        {
            StepRetries = Retries,
            StepRetryDelay = TimeSpan.FromMilliseconds(20),
            // Far from the retry delays, so its timer is told apart from theirs.
            StepTimeout = TimeSpan.FromHours(1),
        });
        var pipeline = new StepPipeline(options, clock);

        // Act: steps that always fail, each run through every retry
        var delays = new List<TimeSpan[]>();
        for (var execution = 0; execution < Executions; execution++)
        {
            clock.Clear();
            await Assert.ThrowsAsync<InvalidOperationException>(async () => await pipeline.ExecuteAsync<int>(
                _ => throw new InvalidOperationException("fails"), (_, _) => ValueTask.CompletedTask, TestContext.Current.CancellationToken));
            delays.Add(clock.Delays.Where(delay => delay < options.Value.StepTimeout).ToArray());
        }

        // Assert: one delay per retry; the last retry waits far longer than the first on average; the first delays
        // are not all the same (without jitter each execution would wait exactly the same)
        Assert.All(delays, execution => Assert.True(execution.Length == Retries, string.Join(", ", execution)));
        var first = delays.Select(execution => execution[0].TotalMilliseconds).ToList();
        var last = delays.Select(execution => execution[^1].TotalMilliseconds).ToList();
        Assert.True(last.Average() > 1.5 * first.Average(), $"first retries wait {first.Average():F3} ms on average, last ones {last.Average():F3} ms");
        Assert.True(first.Distinct().Count() > 1, $"first delays: {string.Join(", ", first.Select(ms => ms.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    /// <summary>The system clock, noting the due time of every timer (a delay) started on it.</summary>
    private sealed class DelayRecorder : TimeProvider
    {
        private readonly List<TimeSpan> _delays = [];

        public IReadOnlyList<TimeSpan> Delays
        {
            get
            {
                lock (_delays)
                {
                    return [.. _delays];
                }
            }
        }

        public void Clear()
        {
            lock (_delays)
            {
                _delays.Clear();
            }
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Note(dueTime);
            return new NotedTimer(base.CreateTimer(callback, state, dueTime, period), this);
        }

        // A delay starts its timer stopped and sets the due time afterwards.
        private void Note(TimeSpan dueTime)
        {
            if (dueTime > TimeSpan.Zero)
            {
                lock (_delays)
                {
                    _delays.Add(dueTime);
                }
            }
        }

        private sealed class NotedTimer(ITimer timer, DelayRecorder recorder) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                recorder.Note(dueTime);
                return timer.Change(dueTime, period);
            }

            public void Dispose() => timer.Dispose();

            public ValueTask DisposeAsync() => timer.DisposeAsync();
        }
    }
}
