namespace AgentAspire.Bench.Measuring;

/// <summary>Collects durations (thread-safe) and answers percentiles in milliseconds.</summary>
internal sealed class Latencies
{
    private readonly List<double> _milliseconds = [];

    public int Count
    {
        get
        {
            lock (_milliseconds)
            {
                return _milliseconds.Count;
            }
        }
    }

    public void Add(TimeSpan elapsed)
    {
        lock (_milliseconds)
        {
            _milliseconds.Add(elapsed.TotalMilliseconds);
        }
    }

    /// <summary>The <paramref name="percent"/>th percentile (nearest rank), in ms; 0 without samples.</summary>
    public double Percentile(double percent)
    {
        lock (_milliseconds)
        {
            if (_milliseconds.Count == 0)
            {
                return 0;
            }

            _milliseconds.Sort();
            var rank = (int)Math.Ceiling(percent / 100 * _milliseconds.Count) - 1;
            return _milliseconds[Math.Clamp(rank, 0, _milliseconds.Count - 1)];
        }
    }
}
