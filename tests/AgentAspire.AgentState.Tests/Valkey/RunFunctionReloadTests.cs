using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Scripting;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Tests.Valkey;

/// <summary>
/// A server without the run function library (restarted without persistence, flushed, or new to a cluster) gets it on
/// the first call that needs it, and that call still does its work, once.
/// </summary>
public sealed class RunFunctionReloadTests(ValkeyServerFixture server) : ValkeyTest(server)
{
    [Fact(Timeout = 30_000)]
    public async Task A_server_that_lost_the_run_functions_loads_them_on_first_call_and_the_run_goes_on()
    {
        // Arrange: a run claimed, then every function gone from every primary
        var services = Services();
        var runId = NewRunId();
        var lease = await CreateAndClaimAsync(services, runId);
        await Task.WhenAll(Server.Primaries.Select(primary => primary.ExecuteAsync("FUNCTION", "FLUSH")));

        // Act
        var committed = await lease.CommitStepAsync(1, "plan", """{"plan":1}""", "{}", isLastStep: true);

        // Assert: the commit ran once, and the server that holds the run has the library again
        Assert.Equal(CommitOutcome.Completed, committed);
        Assert.Equal(RunStatus.Complete, (await HashAsync(AgentKeys.State(runId)))["status"]);
        Assert.Equal(4, await Db.StreamLengthAsync(AgentKeys.Log(runId))); // queued, started, plan, complete
        var holder = Server.Primaries.Single(primary => primary.EndPoint.Equals(Db.IdentifyEndpoint(AgentKeys.State(runId))));
        var libraries = (RedisResult[])(await holder.ExecuteAsync("FUNCTION", "LIST", "LIBRARYNAME", AgentScripts.RunLibrary.Name))!;
        Assert.Single(libraries);
    }
}
