namespace AgentAspire.AgentState.Queue;

/// <summary>
/// Which queue shards a worker reads next: the ones known to hold work (a wake-up named them, or the last read of
/// them filled its batch), plus one more in turn, so every shard is read now and then even if a wake-up was missed,
/// while an idle worker sends one read per poll whatever the number of shards.
/// </summary>
internal sealed class ShardTurns
{
    private readonly int _shards;
    private long _ready;
    private int _turn = -1;

    public ShardTurns(int shards)
    {
        _shards = shards;
        // At start every shard may hold entries queued before this process began.
        _ready = shards == 64 ? -1L : (1L << shards) - 1;
    }

    /// <summary>Notes that <paramref name="shard"/> holds work, so the next <see cref="Take"/> reads it.</summary>
    public void MarkReady(int shard) => Interlocked.Or(ref _ready, 1L << shard);

    /// <summary>Returns up to <paramref name="max"/> shards to read now: the ready ones, then the next one in turn; the rest stay ready.</summary>
    public IReadOnlyList<int> Take(int max)
    {
        if (max < 1)
        {
            return [];
        }

        var ready = Interlocked.Exchange(ref _ready, 0);
        var start = (int)((uint)Interlocked.Increment(ref _turn) % (uint)_shards);
        var chosen = new List<int>(Math.Min(max, _shards));
        for (var i = 0; i < _shards; i++)
        {
            var shard = (start + i) % _shards;
            if ((ready & (1L << shard)) == 0)
            {
                continue;
            }

            if (chosen.Count < max)
            {
                chosen.Add(shard);
            }
            else
            {
                MarkReady(shard);
            }
        }

        // Known work first; the shard in turn only if there is room for it.
        if (chosen.Count < max && !chosen.Contains(start))
        {
            chosen.Add(start);
        }

        return chosen;
    }

    /// <summary>Returns up to <paramref name="max"/> ready shards not in <paramref name="skip"/>, without a turn; the rest stay ready.</summary>
    public IReadOnlyList<int> TakeReady(int max, IReadOnlySet<int> skip)
    {
        var chosen = new List<int>();
        for (var shard = 0; shard < _shards && chosen.Count < max; shard++)
        {
            var bit = 1L << shard;
            if (!skip.Contains(shard) && (Interlocked.And(ref _ready, ~bit) & bit) != 0)
            {
                chosen.Add(shard);
            }
        }

        return chosen;
    }
}
