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
        var first = turns.Take(32);
        var idle = Enumerable.Range(0, 8).Select(_ => Assert.Single(turns.Take(32))).ToList();

        // Assert: everything at start (entries queued before the process began), then one read per poll, in turn
        Assert.Equal([0, 1, 2, 3], first.Order());
        Assert.Equal([1, 2, 3, 0, 1, 2, 3, 0], idle);
    }

    [Fact]
    public void A_shard_marked_ready_is_read_next_along_with_the_shard_in_turn()
    {
        // Arrange
        var turns = new ShardTurns(4);
        turns.Take(32);

        // Act
        turns.MarkReady(3);
        var next = turns.Take(32);

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
        var first = turns.Take(2);
        var second = turns.Take(2);

        // Assert: no shard is forgotten when fewer slots are free than shards have work
        Assert.Equal(2, first.Count);
        Assert.Equal(2, second.Count);
        Assert.Equal([0, 1, 2, 3], first.Concat(second).Order());
        Assert.Empty(turns.Take(0));
    }
}
