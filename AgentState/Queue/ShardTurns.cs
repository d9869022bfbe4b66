namespace AgentAspire.AgentState.Queue;

/// <summary>
/// Which queue shards a worker reads next. First the shards a wake-up named, counted per shard so that a read which
/// takes the announced entries leaves nothing marked; then the shards whose last read filled its batch with more
/// than was announced (work nobody announced: entries queued before this process began, or wake-ups that were lost);
/// then one more in turn, so every shard is read now and then even if a wake-up was missed, while an idle worker
/// sends one read per poll whatever the number of shards. A shard left out behind named ones ranks with them the next
/// time, so none waits for long.
/// </summary>
internal sealed class ShardTurns
{
    private readonly Lock _gate = new();
    private readonly int _shards;
    // Wake-ups per shard not yet matched by an entry read.
    private readonly int[] _announced;
    // Shards whose last read found more than was announced and filled its batch, so more may be waiting.
    private long _more;
    // Shards of _more that a read already passed over for named ones: they rank as named now.
    private long _passedOver;
    private int _turn = -1;

    public ShardTurns(int shards)
    {
        _shards = shards;
        _announced = new int[shards];
        // At start every shard may hold entries queued before this process began.
        _more = shards == 64 ? -1L : (1L << shards) - 1;
    }

    /// <summary>Notes that one entry was queued on <paramref name="shard"/>, so the next <see cref="Take"/> reads it first.</summary>
    public void Announce(int shard)
    {
        lock (_gate)
        {
            AddAnnounced(shard, 1);
        }
    }

    /// <summary>
    /// Returns up to <paramref name="max"/> shards to read now: the named ones, then those that may hold unannounced
    /// work, then the next one in turn if there is room. Each comes with the wake-ups it had, for <see cref="Finish"/>.
    /// </summary>
    public IReadOnlyList<ShardTurn> Take(int max)
    {
        if (max < 1)
        {
            return [];
        }

        lock (_gate)
        {
            var start = (int)((uint)++_turn % (uint)_shards);
            var chosen = Choose(max, start, skip: null);
            // Known work first; the shard in turn only if there is room for it.
            if (chosen.Count < max && !chosen.Exists(turn => turn.Shard == start))
            {
                chosen.Add(TakeShard(start));
            }

            return chosen;
        }
    }

    /// <summary>Returns up to <paramref name="max"/> shards with known work not in <paramref name="skip"/>, without a turn.</summary>
    public IReadOnlyList<ShardTurn> TakeReady(int max, IReadOnlySet<int> skip)
    {
        lock (_gate)
        {
            return Choose(max, start: 0, skip);
        }
    }

    /// <summary>
    /// Records what a read of <paramref name="turn"/> found: announced entries it did not take stay announced when
    /// its batch was full (a short batch means the shard is empty, so they were taken by other workers); a full
    /// batch with more than was announced means unannounced work, so the shard is read again soon.
    /// </summary>
    public void Finish(ShardTurn turn, int wanted, int read)
    {
        if (read < wanted)
        {
            return;
        }

        lock (_gate)
        {
            if (turn.Announced > read)
            {
                AddAnnounced(turn.Shard, turn.Announced - read);
            }
            else if (read > turn.Announced)
            {
                _more |= 1L << turn.Shard;
            }
        }
    }

    /// <summary>Puts back the wake-ups of a read that failed, so the next read tries the shard again.</summary>
    public void GiveBack(ShardTurn turn)
    {
        lock (_gate)
        {
            AddAnnounced(turn.Shard, turn.Announced);
        }
    }

    private List<ShardTurn> Choose(int max, int start, IReadOnlySet<int>? skip)
    {
        var chosen = new List<ShardTurn>(Math.Min(max, _shards));
        // Named shards (and those passed over before) first, then those that may hold unannounced work.
        for (var rank = 0; rank < 2; rank++)
        {
            for (var i = 0; i < _shards; i++)
            {
                var shard = (start + i) % _shards;
                if (skip?.Contains(shard) == true || Rank(shard) != rank)
                {
                    continue;
                }

                if (chosen.Count < max)
                {
                    chosen.Add(TakeShard(shard));
                }
                else if (rank == 1)
                {
                    _passedOver |= 1L << shard;
                }
            }
        }

        return chosen;
    }

    // A process that queues and never reads (the API) only ever adds: the count stops at its largest value.
    private void AddAnnounced(int shard, int entries) =>
        _announced[shard] = (int)Math.Min(int.MaxValue, (long)_announced[shard] + entries);

    private int Rank(int shard)
    {
        var bit = 1L << shard;
        if (_announced[shard] > 0 || (_passedOver & bit) != 0)
        {
            return 0;
        }

        return (_more & bit) != 0 ? 1 : -1;
    }

    private ShardTurn TakeShard(int shard)
    {
        var bit = 1L << shard;
        var announced = _announced[shard];
        _announced[shard] = 0;
        _more &= ~bit;
        _passedOver &= ~bit;
        return new ShardTurn(shard, announced);
    }
}
