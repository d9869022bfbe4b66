using AgentAspire.AgentState.Queue;

namespace AgentAspire.AgentState.Tests.Unit;

public sealed class ShardTurnsTests
{
    [Fact]
    public void A_new_reader_reads_every_shard_once_then_one_shard_per_idle_read_in_turn()
    {
        // Arrange
        var turns = new ShardTurns(4);

        // Act
        var first = Shards(turns.Take(32));
        var idle = Enumerable.Range(0, 8).Select(_ => Assert.Single(turns.Take(32)).Shard).ToList();

        // Assert: everything at start (entries queued before the process began), then one read per poll, in turn
        Assert.Equal([0, 1, 2, 3], first.Order());
        Assert.Equal([1, 2, 3, 0, 1, 2, 3, 0], idle);
    }

    [Fact]
    public void A_shard_a_wake_up_named_is_read_next_along_with_the_shard_in_turn()
    {
        // Arrange
        var turns = new ShardTurns(4);
        turns.Take(32);

        // Act
        turns.Announce(3);
        var next = Shards(turns.Take(32));

        // Assert
        Assert.Equal([1, 3], next.Order());
        Assert.Single(turns.Take(32));
    }

    [Fact]
    public void Shards_left_out_by_a_small_batch_stay_ready_for_the_next_read()
    {
        // Arrange
        var turns = new ShardTurns(4);

        // Act
        var first = Shards(turns.Take(2));
        var second = Shards(turns.Take(2));

        // Assert: no shard is forgotten when fewer slots are free than shards have work
        Assert.Equal(2, first.Count);
        Assert.Equal(2, second.Count);
        Assert.Equal([0, 1, 2, 3], first.Concat(second).Order());
        Assert.Empty(turns.Take(0));
    }

    [Fact]
    public void A_full_batch_of_one_that_took_the_announced_entry_leaves_its_shard_unmarked()
    {
        // Arrange: the start-up reads done, one entry announced on shard 2 and read with a batch of one
        var turns = new ShardTurns(4);
        turns.Take(32);
        turns.Announce(2);
        var read = Assert.Single(turns.Take(1));
        turns.Finish(read, wanted: 1, read: 1);

        // Act: the next run is announced on shard 0
        turns.Announce(0);
        var next = Assert.Single(turns.Take(1));

        // Assert: the named shard, not the one just emptied
        Assert.Equal(2, read.Shard);
        Assert.Equal(0, next.Shard);
    }

    [Fact]
    public void Announced_entries_a_full_batch_did_not_take_keep_their_shard_named()
    {
        // Arrange
        var turns = new ShardTurns(4);
        turns.Take(32);
        turns.Announce(1);
        turns.Announce(1);
        turns.Announce(1);

        // Act: batches of one, each full
        var reads = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var turn = Assert.Single(turns.Take(1));
            reads.Add(turn.Shard);
            turns.Finish(turn, wanted: 1, read: 1);
        }

        // Assert
        Assert.Equal([1, 1, 1], reads);
    }

    [Fact]
    public void Unannounced_work_ranks_below_a_named_shard_once_then_with_it()
    {
        // Arrange: a read of shard 1 in turn filled its batch with an entry nobody announced
        var turns = new ShardTurns(4);
        turns.Take(32);
        var inTurn = Assert.Single(turns.Take(1));
        turns.Finish(inTurn, wanted: 1, read: 1);

        // Act
        turns.Announce(3);
        var first = Assert.Single(turns.Take(1));
        turns.Finish(first, wanted: 1, read: 1);
        turns.Announce(0);
        var second = Shards(turns.Take(2));

        // Assert: the named shard first; the passed-over one is read along with the next named one, not starved
        Assert.Equal(1, inTurn.Shard);
        Assert.Equal(3, first.Shard);
        Assert.Equal([0, 1], second.Order());
    }

    [Fact]
    public void A_failed_read_gives_its_wake_ups_back()
    {
        // Arrange
        var turns = new ShardTurns(4);
        turns.Take(32);
        turns.Announce(2);
        var failed = Assert.Single(turns.Take(1));

        // Act
        turns.GiveBack(failed);
        var again = Assert.Single(turns.Take(1));

        // Assert
        Assert.Equal(2, again.Shard);
    }

    private static List<int> Shards(IReadOnlyList<ShardTurn> turns) => turns.Select(turn => turn.Shard).ToList();
}
