using System.Reflection;
using System.Text;
using AgentAspire.AgentState.Logs;

namespace AgentAspire.AgentState.Scripting;

/// <summary>The Lua scripts of the protocol, read once from the embedded <c>Scripts/*.lua</c> files.</summary>
internal static class AgentScripts
{
    // The generated names and the prelude, in blocks separated by blank lines; a block that defines a function is
    // given only to the scripts that call it (see PreludeFor).
    private static readonly string[] RunPreludeBlocks = (StateMachineNames() + "\n" + Read("_run_prelude")).Split("\n\n");

    /// <summary>Creates a run or answers a repeated idempotent start.</summary>
    public static ValkeyScript Create { get; } = ForRun("create");

    /// <summary>Takes a run's lease, bumps its fence and returns its checkpoint.</summary>
    public static ValkeyScript Claim { get; } = ForRun("claim");

    /// <summary>Commits one step atomically under lease and fence.</summary>
    public static ValkeyScript Commit { get; } = ForRun("commit");

    /// <summary>Changes a run's status under a lease rule.</summary>
    public static ValkeyScript Transition { get; } = ForRun("transition");

    /// <summary>Appends to the log of a run that exists; a worker's entry only while it holds lease and fence.</summary>
    public static ValkeyScript Append { get; } = ForRun("append");

    /// <summary>Tells a worker whether it still holds a running run's lease and fence.</summary>
    public static ValkeyScript CheckLease { get; } = ForRun("check_lease");

    /// <summary>Records a call of the running step in the run's journal under lease and fence, with its usage.</summary>
    public static ValkeyScript Journal { get; } = ForRun("journal");

    /// <summary>Saves a workflow checkpoint; under a lease it also commits it as the run's next step.</summary>
    public static ValkeyScript WorkflowCheckpoint { get; } = ForRun("workflow_checkpoint");

    /// <summary>Extends a lease its owner still holds.</summary>
    public static ValkeyScript RenewLease { get; } = Standalone("renew_lease");

    /// <summary>Deletes a lease or lock its owner still holds.</summary>
    public static ValkeyScript DeleteIfOwner { get; } = Standalone("delete_if_owner");

    /// <summary>Reads a cached tool result or takes the stampede lock, atomically.</summary>
    public static ValkeyScript GetOrLock { get; } = Standalone("get_or_lock");

    /// <summary>Stores a tool result with its TTL and releases the stampede lock.</summary>
    public static ValkeyScript FillCache { get; } = Standalone("fill_cache");

    /// <summary>Every script, for loading ahead of first use.</summary>
    public static IReadOnlyList<ValkeyScript> All { get; } = [Create, Claim, Commit, Transition, Append, CheckLease, Journal, WorkflowCheckpoint, RenewLease, DeleteIfOwner, GetOrLock, FillCache];

    private static ValkeyScript ForRun(string name)
    {
        var body = Read(name);
        return new(name, PreludeFor(body) + "\n" + body);
    }

    /// <summary>
    /// The prelude blocks <paramref name="body"/> needs: every block that is not a function, and each function the body
    /// calls, or a function it needs calls. Lua makes a closure of every local function each time a script runs, so
    /// a function a script never calls still costs it on every call (about a tenth of a microsecond each).
    /// </summary>
    private static string PreludeFor(string body)
    {
        var included = new bool[RunPreludeBlocks.Length];
        var callers = body;
        // Backwards: a local function can only call the functions defined before it.
        for (var i = RunPreludeBlocks.Length - 1; i >= 0; i--)
        {
            var defined = DefinedFunction(RunPreludeBlocks[i]);
            if (defined is null || Calls(callers, defined))
            {
                included[i] = true;
                callers += RunPreludeBlocks[i];
            }
        }

        return string.Join("\n\n", RunPreludeBlocks.Where((_, i) => included[i]));
    }

    private static string? DefinedFunction(string block)
    {
        const string marker = "local function ";
        var start = block.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += marker.Length;
        return block[start..block.IndexOf('(', start)];
    }

    // Whether `name(` stands in the text as a call of that function, not as the end of a longer name.
    private static bool Calls(string text, string name)
    {
        for (var at = text.IndexOf(name + "(", StringComparison.Ordinal); at >= 0; at = text.IndexOf(name + "(", at + 1, StringComparison.Ordinal))
        {
            if (at == 0 || !(char.IsLetterOrDigit(text[at - 1]) || text[at - 1] == '_'))
            {
                return true;
            }
        }

        return false;
    }

    private static ValkeyScript Standalone(string name) => new(name, Read(name));

    /// <summary>
    /// The statuses, the state machine's rules and the lifecycle actions as Lua locals, so no script spells a status
    /// or an action itself: <c>STATUS_IN_PROGRESS</c>, <c>ACTION_STARTED</c>, <c>is_final(status)</c>,
    /// <c>allows_claim(status)</c>, <c>allows_commit(status)</c>. Fixed text, so a script's SHA-1 stays the same.
    /// </summary>
    internal static string StateMachineNames()
    {
        var lua = new StringBuilder("-- Generated from RunStatus, RunStateMachine and LogActions.\n");
        foreach (var status in RunStatus.All)
        {
            lua.Append("local STATUS_").Append(status.ToUpperInvariant()).Append(" = '").Append(status).Append("'\n");
        }

        foreach (var action in new[] { LogActions.Queued, LogActions.Started, LogActions.Resumed, LogActions.Complete, LogActions.Failed })
        {
            lua.Append("local ACTION_").Append(action.ToUpperInvariant()).Append(" = '").Append(action).Append("'\n");
        }

        Predicate(lua, "is_final", RunStatus.All.Where(RunStatus.IsFinal));
        Predicate(lua, "allows_claim", RunStateMachine.AllowedFrom(RunAction.Claim));
        Predicate(lua, "allows_commit", RunStateMachine.AllowedFrom(RunAction.Commit));
        return lua.ToString();
    }

    private static void Predicate(StringBuilder lua, string name, IEnumerable<string> statuses) =>
        lua.Append("\nlocal function ").Append(name).Append("(status) return ")
            .AppendJoin(" or ", statuses.Select(status => $"status == STATUS_{status.ToUpperInvariant()}"))
            .Append(" end\n");

    private static string Read(string name)
    {
        var resource = $"AgentAspire.AgentState.Scripts.{name}.lua";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded script '{resource}' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
