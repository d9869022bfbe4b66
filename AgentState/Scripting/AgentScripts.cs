using System.Reflection;
using System.Text;
using AgentAspire.AgentState.Logs;

namespace AgentAspire.AgentState.Scripting;

/// <summary>
/// The Lua of the protocol, read once from the embedded <c>Scripts/*.lua</c> files: the scripts that work on one run are
/// the functions of one library (<see cref="RunLibrary"/>, FCALL), sharing the generated names and the prelude; the
/// small scripts of leases, locks and the tool cache are called by SHA-1 (EVALSHA).
/// </summary>
internal static class AgentScripts
{
    /// <summary>
    /// The run functions: the generated names and the prelude, loaded once per server, then one function per script of
    /// <c>Scripts/</c>. The check of a lease only reads, so it is flagged so (it runs on a full server too).
    /// </summary>
    public static ValkeyFunctionLibrary RunLibrary { get; } = new(
        "agentstate",
        StateMachineNames() + "\n" + Read("_run_prelude"),
        [.. new[] { "create", "claim", "commit", "transition", "append", "journal", "workflow_checkpoint" }.Select(name => new ValkeyFunctionLibrary.Definition(name, Read(name), ReadOnly: false)),
            new ValkeyFunctionLibrary.Definition("check_lease", Read("check_lease"), ReadOnly: true)]);

    /// <summary>Creates a run or answers a repeated idempotent start.</summary>
    public static ValkeyScript Create { get; } = RunLibrary.Function("create");

    /// <summary>Takes a run's lease, bumps its fence and returns its checkpoint.</summary>
    public static ValkeyScript Claim { get; } = RunLibrary.Function("claim");

    /// <summary>Commits one step atomically under lease and fence.</summary>
    public static ValkeyScript Commit { get; } = RunLibrary.Function("commit");

    /// <summary>Changes a run's status under a lease rule.</summary>
    public static ValkeyScript Transition { get; } = RunLibrary.Function("transition");

    /// <summary>Appends to the log of a run that exists; a worker's entry only while it holds lease and fence.</summary>
    public static ValkeyScript Append { get; } = RunLibrary.Function("append");

    /// <summary>Tells a worker whether it still holds a running run's lease and fence.</summary>
    public static ValkeyScript CheckLease { get; } = RunLibrary.Function("check_lease");

    /// <summary>Records a call of the running step in the run's journal under lease and fence, with its usage.</summary>
    public static ValkeyScript Journal { get; } = RunLibrary.Function("journal");

    /// <summary>Saves a workflow checkpoint; under a lease it also commits it as the run's next step.</summary>
    public static ValkeyScript WorkflowCheckpoint { get; } = RunLibrary.Function("workflow_checkpoint");

    /// <summary>Extends a lease its owner still holds.</summary>
    public static ValkeyEvalScript RenewLease { get; } = Standalone("renew_lease");

    /// <summary>Deletes a lease or lock its owner still holds.</summary>
    public static ValkeyEvalScript DeleteIfOwner { get; } = Standalone("delete_if_owner");

    /// <summary>Reads a cached tool result or takes the stampede lock, atomically.</summary>
    public static ValkeyEvalScript GetOrLock { get; } = Standalone("get_or_lock");

    /// <summary>Stores a tool result with its TTL and releases the stampede lock.</summary>
    public static ValkeyEvalScript FillCache { get; } = Standalone("fill_cache");

    /// <summary>Every script called by SHA-1, for loading ahead of first use.</summary>
    public static IReadOnlyList<ValkeyEvalScript> All { get; } = [RenewLease, DeleteIfOwner, GetOrLock, FillCache];

    private static ValkeyEvalScript Standalone(string name) => new(name, Read(name));

    /// <summary>
    /// The statuses, the state machine's rules and the lifecycle actions as Lua locals, so no script spells a status
    /// or an action itself: <c>STATUS_IN_PROGRESS</c>, <c>ACTION_STARTED</c>, <c>is_final(status)</c>,
    /// <c>allows_claim(status)</c>, <c>allows_commit(status)</c>. Fixed text, so the library's version stays the same.
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
