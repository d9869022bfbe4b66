using AgentAspire.AgentState.Leases;

namespace AgentAspire.AgentState.Tests.Valkey;

/// <summary>A step result or log details over the configured limit is refused with a message naming it, and nothing is written.</summary>
public sealed class ValueSizeLimitTests(ValkeyServerFixture server) : ValkeyTest(server)
{
    [Fact(Timeout = 30_000)]
    public async Task A_step_result_over_the_limit_is_refused_and_the_checkpoint_is_unchanged()
    {
        // Arrange
        var services = Services(options => options.MaxStepResultBytes = 1000);
        var runId = NewRunId();
        var lease = await CreateAndClaimAsync(services, runId);
        var before = await Db.HashGetAllAsync(AgentKeys.State(runId));

        // Act
        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            lease.CommitStepAsync(1, "plan", $"\"{new string('r', 1000)}\"", "{}", isLastStep: false));
        var after = await Db.HashGetAllAsync(AgentKeys.State(runId));

        // Assert
        Assert.Contains("1,002 bytes", refused.Message);
        Assert.Contains("MaxStepResultBytes", refused.Message);
        Assert.Equal(before.OrderBy(e => e.Name.ToString()), after.OrderBy(e => e.Name.ToString()));
        Assert.Equal(CommitOutcome.Committed, await lease.CommitStepAsync(1, "plan", "\"small\"", "{}", isLastStep: false));
    }

    [Fact(Timeout = 30_000)]
    public async Task Log_details_over_the_limit_are_refused_and_the_log_is_unchanged()
    {
        // Arrange: multi-byte text counts in UTF-8 bytes, not characters
        var services = Services(options => options.MaxLogDetailsBytes = 300);
        var runId = NewRunId();
        await services.Store.CreateAsync(NewRun(runId));
        var details = $$"""{"text":"{{new string('é', 150)}}"}""";

        // Act
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => services.Log.AppendAsync(runId, "note", details));

        // Assert
        Assert.Contains("MaxLogDetailsBytes", refused.Message);
        Assert.Equal(1, await Db.StreamLengthAsync(AgentKeys.Log(runId)));
    }
}
