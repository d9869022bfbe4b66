using AgentAspire.AgentState;
using AgentAspire.AgentState.Tools;

namespace AgentAspire.AgentState.Tests.Unit;

public sealed class AgentKeysTests
{
    private const string Hash64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void Run_keys_put_the_run_id_in_a_hash_tag_with_the_agent_state_pattern_names()
    {
        // Act and Assert
        Assert.Equal("agent:state:{run_1}", AgentKeys.State("run_1"));
        Assert.Equal("agent:log:{run_1}", AgentKeys.Log("run_1"));
        Assert.Equal("agent:lease:{run_1}", AgentKeys.Lease("run_1"));
    }

    [Fact]
    public void Tool_keys_put_the_arguments_hash_in_a_hash_tag()
    {
        // Act and Assert
        Assert.Equal($"tool:cache:web_search:{{{Hash64}}}", AgentKeys.ToolCache("web_search", Hash64));
        Assert.Equal($"tool:lock:web_search:{{{Hash64}}}", AgentKeys.ToolLock("web_search", Hash64));
    }

    [Fact]
    public void Global_keys_have_their_documented_names()
    {
        // Act and Assert
        Assert.Equal("agent:runs:{q0}", AgentKeys.RunQueue(0));
        Assert.Equal("agent:runs:wake:{q3}", AgentKeys.RunQueuedChannel(3));
        Assert.Equal("workers", AgentKeys.WorkerGroup);
        Assert.Equal("agent:runs:dead", AgentKeys.DeadLetters);
        Assert.Equal("agent:index:{i0}", AgentKeys.RunIndex(0));
        Assert.Equal("agent:index:{i2}:status:queued", AgentKeys.RunIndexByStatus(2, RunStatus.Queued));
        Assert.Equal("agent:index:{i7}:agent:research", AgentKeys.RunIndexByAgent(7, "research"));
    }

    [Fact]
    public void A_queue_shard_and_its_wake_channel_share_a_slot_and_every_sharded_structure_spreads_over_three_primaries()
    {
        // Arrange: the slot ranges valkey-cli --cluster create gives three primaries
        static int Primary(int slot) => slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2;

        // Act
        var queueSlots = Enumerable.Range(0, new AgentStateOptions().QueueShards).Select(shard => HashSlot(AgentKeys.RunQueue(shard))).ToList();
        var indexSlots = Enumerable.Range(0, AgentKeys.RunIndexShards).Select(shard => HashSlot(AgentKeys.RunIndex(shard))).ToList();
        var logWakeSlots = Enumerable.Range(0, AgentKeys.LogAppendedShards).Select(shard => HashSlot(AgentKeys.LogAppendedChannel(shard))).ToList();

        // Assert
        Assert.All(Enumerable.Range(0, queueSlots.Count), shard => Assert.Equal(queueSlots[shard], HashSlot(AgentKeys.RunQueuedChannel(shard))));
        Assert.Equal(queueSlots.Count, queueSlots.Distinct().Count());
        Assert.Equal(indexSlots.Count, indexSlots.Distinct().Count());
        Assert.Equal(3, queueSlots.Select(Primary).Distinct().Count());
        Assert.Equal(3, indexSlots.Select(Primary).Distinct().Count());
        Assert.Equal(logWakeSlots.Count, logWakeSlots.Distinct().Count());
        Assert.Equal(3, logWakeSlots.Select(Primary).Distinct().Count());
        Assert.Equal(HashSlot(AgentKeys.RunIndex(5)), HashSlot(AgentKeys.RunIndexByStatus(5, RunStatus.Complete)));
    }

    [Fact]
    public void A_run_always_maps_to_the_same_shard_and_runs_spread_over_every_shard()
    {
        // Arrange
        var runIds = Enumerable.Range(0, 4000).Select(_ => RunIds.NewRunId()).ToList();

        // Act
        var shards = runIds.Select(runId => AgentKeys.ShardOf(runId, 4)).ToList();

        // Assert: stable across calls (and processes: FNV-1a, no per-process seed), in range, roughly even
        Assert.Equal(shards, runIds.Select(runId => AgentKeys.ShardOf(runId, 4)));
        Assert.Equal(3, AgentKeys.ShardOf("run_fixed", 4));
        Assert.Equal(2, AgentKeys.ShardOf("run_a", 8));
        Assert.All(shards.GroupBy(shard => shard), group => Assert.InRange(group.Count(), 700, 1300));
        Assert.Equal(4, shards.Distinct().Count());
        Assert.Equal(0, AgentKeys.ShardOf("anything", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => AgentKeys.ShardOf("run", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => AgentKeys.RunQueue(-1));
    }

    // CRC16 (XMODEM) of the hash tag, modulo 16384: the slot a Valkey Cluster gives a key.
    private static int HashSlot(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        var close = open < 0 ? -1 : key.IndexOf('}', open + 1);
        var tagged = close > open + 1 ? key[(open + 1)..close] : key;
        var crc = 0;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(tagged))
        {
            crc ^= b << 8;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xFFFF : (crc << 1) & 0xFFFF;
            }
        }

        return crc % 16384;
    }

    [Theory]
    [InlineData("")]
    [InlineData("run{1}")]
    [InlineData("run:1")]
    [InlineData("run 1")]
    public void Run_keys_refuse_a_malformed_run_id(string runId)
    {
        // Act and Assert
        Assert.Throws<ArgumentException>(() => AgentKeys.State(runId));
        Assert.Throws<ArgumentException>(() => AgentKeys.Log(runId));
        Assert.Throws<ArgumentException>(() => AgentKeys.Lease(runId));
    }

    [Fact]
    public void Cache_key_of_a_call_is_tool_cache_tool_and_the_sha256_of_the_canonical_arguments()
    {
        // Act
        var key = ToolCache.KeyFor("web_search", """{ "query": "valkey", "limit": 5 }""");

        // Assert
        Assert.Equal($"tool:cache:web_search:{{{CanonicalJson.Hash("""{"limit":5,"query":"valkey"}""")}}}", key);
        Assert.Matches("^tool:cache:web_search:\\{[0-9a-f]{64}\\}$", key);
    }

    [Theory]
    [InlineData("Web_Search")]
    [InlineData("")]
    [InlineData("web search")]
    [InlineData("web:search")]
    [InlineData("web{search}")]
    [InlineData("web_search\n")]
    public void Cache_key_refuses_a_malformed_tool_name(string tool)
    {
        // Act and Assert
        Assert.Throws<ArgumentException>(() => ToolCache.KeyFor(tool, "{}"));
    }

    [Fact]
    public void Checkpoint_fields_keep_the_agent_state_pattern_names()
    {
        // Act and Assert
        Assert.Equal("current_step", CheckpointFields.CurrentStep);
        Assert.Equal("status", CheckpointFields.Status);
        Assert.Equal("updated_at", CheckpointFields.UpdatedAt);
        Assert.Equal("result_step_3", CheckpointFields.Result(3));
        Assert.Equal("step_name_3", CheckpointFields.StepName(3));
    }
}
