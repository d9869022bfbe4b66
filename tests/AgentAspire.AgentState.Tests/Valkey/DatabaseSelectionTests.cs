using System.Globalization;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Scripting;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Tests.Valkey;

/// <summary>
/// A connection made as the app's services make theirs (<see cref="AgentStateConnectionOptions.Apply"/>) carries a whole
/// run without a single <c>SELECT</c>, though the client does not know the <c>FCALL</c> the run functions are called with.
/// </summary>
public sealed class DatabaseSelectionTests(ValkeyServerFixture server) : ValkeyTest(server)
{
    [Fact(Timeout = 30_000)]
    public async Task A_whole_run_on_database_zero_sends_no_select_between_its_function_calls()
    {
        // Arrange
        var connection = await Server.ConnectAsync(AgentStateConnectionOptions.Apply);
        var services = Services(connection: connection);
        var runId = NewRunId();
        await AgentStateScripts.LoadAsync(connection);
        await Task.WhenAll(Server.Primaries.Select(primary => primary.ExecuteAsync("CONFIG", "RESETSTAT")));

        // Act: create, read, claim and two commits, the last completing the run
        var lease = await CreateAndClaimAsync(services, runId);
        Assert.Equal(CommitOutcome.Committed, await lease.CommitStepAsync(1, "plan", """{"plan":1}""", "{}", isLastStep: false));
        Assert.Equal(CommitOutcome.Completed, await lease.CommitStepAsync(2, "respond", """{"answer":2}""", "{}", isLastStep: true));

        // Assert: the run is complete in database 0, written by four function calls and no SELECT
        Assert.Equal(RunStatus.Complete, (string?)await connection.GetDatabase().HashGetAsync(AgentKeys.State(runId), "status"));
        Assert.Equal(4, await CallsAsync("fcall"));
        Assert.Equal(0, await CallsAsync("select"));
    }

    [Fact(Timeout = 30_000)]
    public void A_connection_to_another_database_or_with_a_command_map_of_its_own_keeps_select()
    {
        // Arrange
        var otherDatabase = ConfigurationOptions.Parse("localhost:6379,defaultDatabase=2");
        var ownMap = ConfigurationOptions.Parse("localhost:6379,$INFO=");
        var ownMapBefore = ownMap.CommandMap;

        // Act
        AgentStateConnectionOptions.Apply(otherDatabase);
        AgentStateConnectionOptions.Apply(ownMap);

        // Assert
        Assert.Same(CommandMap.Default, otherDatabase.CommandMap);
        Assert.Same(ownMapBefore, ownMap.CommandMap);
    }

    // Calls of one command since the last CONFIG RESETSTAT, summed over the primaries.
    private async Task<long> CallsAsync(string command)
    {
        long calls = 0;
        foreach (var primary in Server.Primaries)
        {
            var stats = (await primary.InfoAsync("commandstats")).SelectMany(group => group);
            if (stats.FirstOrDefault(stat => stat.Key == $"cmdstat_{command}").Value is { } value)
            {
                calls += long.Parse(value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture);
            }
        }

        return calls;
    }
}
