using AgentAspire.AgentState.Scripting;

namespace AgentAspire.AgentState.Tests.Unit;

/// <summary>
/// The run scripts are the functions of one library: the prelude's helpers are defined once in it (made once when the
/// library loads, not on every call), each function binds its own run first, names carry the library's version, and
/// the status names and rules come from the state machine.
/// </summary>
public sealed class RunFunctionLibraryTests
{
    private static readonly string[] RunFunctions = ["create", "claim", "commit", "transition", "append", "journal", "workflow_checkpoint", "check_lease"];

    [Fact]
    public void The_library_defines_each_helper_once_and_registers_every_run_function_under_its_version()
    {
        var library = AgentScripts.RunLibrary;

        Assert.StartsWith($"#!lua name=agentstate_{library.Version}\n", library.Source, StringComparison.Ordinal);
        Assert.Equal(["is_final", "allows_claim", "allows_commit", "bind", "add_log", "renew", "renew_due", "log", "refusal", "read_for_commit", "commit_step"],
            TopLevelFunctions(library.Source));
        foreach (var function in RunFunctions)
        {
            // Registered once, and the first thing it does is bind its own KEYS and ARGV.
            var registration = $"redis.register_function{{function_name = '{function}_{library.Version}', callback = function(KEYS, ARGV)\nbind(KEYS, ARGV)\n";
            Assert.Single(Occurrences(library.Source, registration));
        }

        Assert.Equal(RunFunctions.Length, Occurrences(library.Source, "redis.register_function").Count);
        // Only the lease check reads without writing.
        Assert.Single(Occurrences(library.Source, "flags = {'no-writes'}"));
        Assert.Equal($"commit_{library.Version}", ((ValkeyFunction)AgentScripts.Commit).FunctionName);
    }

    [Fact]
    public void The_library_takes_statuses_and_rules_from_the_state_machine()
    {
        var source = AgentScripts.RunLibrary.Source;

        Assert.Contains($"local STATUS_IN_PROGRESS = '{RunStatus.InProgress}'", source, StringComparison.Ordinal);
        Assert.Contains("local function allows_claim(status) return " +
            string.Join(" or ", RunStateMachine.AllowedFrom(RunAction.Claim).Select(status => $"status == STATUS_{status.ToUpperInvariant()}")) + " end",
            source, StringComparison.Ordinal);
        // No function or script spells a status itself ('failed' is also the claim's reply word for a run it failed).
        foreach (var text in AgentScripts.All.Select(script => script.Source).Append(source))
        {
            var written = text.Split('\n')
                .Select(line => line.Trim())
                .Where(line => !line.StartsWith("--", StringComparison.Ordinal) && !line.StartsWith("local STATUS_", StringComparison.Ordinal) && !line.StartsWith("local ACTION_", StringComparison.Ordinal))
                .Select(line => line.Replace("return {'failed'", "", StringComparison.Ordinal));
            foreach (var line in written)
            {
                Assert.DoesNotContain(RunStatus.All, status => line.Contains($"'{status}'", StringComparison.Ordinal));
            }
        }
    }

    // The functions defined by the shared part, before the first function is registered.
    private static List<string> TopLevelFunctions(string source) =>
        source[..source.IndexOf("redis.register_function", StringComparison.Ordinal)].Split('\n')
            .Where(line => line.StartsWith("local function ", StringComparison.Ordinal))
            .Select(line => line["local function ".Length..line.IndexOf('(', StringComparison.Ordinal)])
            .ToList();

    private static List<int> Occurrences(string text, string value)
    {
        var found = new List<int>();
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            found.Add(at);
        }

        return found;
    }
}
