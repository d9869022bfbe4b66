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
        Assert.Equal("agent:runs", AgentKeys.RunQueue);
        Assert.Equal("workers", AgentKeys.WorkerGroup);
        Assert.Equal("agent:runs:dead", AgentKeys.DeadLetters);
        Assert.Equal("agent:index", AgentKeys.RunIndex);
        Assert.Equal("agent:index:status:queued", AgentKeys.RunIndexByStatus(RunStatus.Queued));
        Assert.Equal("agent:index:agent:research", AgentKeys.RunIndexByAgent("research"));
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
