using AgentAspire.AgentState.Scripting;

namespace AgentAspire.AgentState.Tests.Unit;

/// <summary>
/// Each run script carries only the prelude functions it calls (Lua makes a closure of every local function on every
/// call), and the status names and rules the scripts use come from the state machine.
/// </summary>
public sealed class RunScriptPreludeTests
{
    [Fact]
    public void A_script_gets_the_functions_it_calls_and_those_they_call_but_no_others()
    {
        var checkLease = AgentScripts.CheckLease.Source;
        var commit = AgentScripts.Commit.Source;
        var create = AgentScripts.Create.Source;

        // The lease check calls refusal, which calls is_final and allows_commit; it writes nothing.
        Assert.Equal(["is_final", "allows_commit", "refusal"], DefinedFunctions(checkLease));
        // The commit calls read_for_commit and commit_step, and through them everything a commit writes with.
        Assert.Equal(["is_final", "allows_commit", "add_log", "renew", "renew_due", "refusal", "read_for_commit", "commit_step"], DefinedFunctions(commit));
        // The create writes its log entry and TTLs and checks nothing.
        Assert.Equal(["add_log", "renew"], DefinedFunctions(create));
    }

    [Fact]
    public void The_scripts_take_statuses_and_rules_from_the_state_machine()
    {
        var claim = AgentScripts.Claim.Source;

        Assert.Contains($"local STATUS_IN_PROGRESS = '{RunStatus.InProgress}'", claim, StringComparison.Ordinal);
        Assert.Contains("local function allows_claim(status) return " +
            string.Join(" or ", RunStateMachine.AllowedFrom(RunAction.Claim).Select(status => $"status == STATUS_{status.ToUpperInvariant()}")) + " end",
            claim, StringComparison.Ordinal);
        // No script spells a status itself ('failed' is also the claim's reply word for a run it failed).
        foreach (var script in AgentScripts.All)
        {
            var written = script.Source.Split('\n')
                .Select(line => line.Trim())
                .Where(line => !line.StartsWith("--", StringComparison.Ordinal) && !line.StartsWith("local STATUS_", StringComparison.Ordinal) && !line.StartsWith("local ACTION_", StringComparison.Ordinal))
                .Select(line => line.Replace("return {'failed'", "", StringComparison.Ordinal));
            foreach (var line in written)
            {
                Assert.DoesNotContain(RunStatus.All, status => line.Contains($"'{status}'", StringComparison.Ordinal));
            }
        }
    }

    private static List<string> DefinedFunctions(string source) =>
        source.Split('\n')
            .Where(line => line.StartsWith("local function ", StringComparison.Ordinal))
            .Select(line => line["local function ".Length..line.IndexOf('(', StringComparison.Ordinal)])
            .ToList();
}
