namespace AgentAspire.AgentState;

/// <summary>What can be done to a run; each action is allowed in some statuses and leads to one.</summary>
public enum RunAction
{
    /// <summary>A worker takes the run's lease (queued, or in progress after its worker died) and runs it.</summary>
    Claim,
    /// <summary>A worker commits a step of the run it holds.</summary>
    Commit,
    /// <summary>A worker completes, fails, parks for approval or hands back the run it holds.</summary>
    Leave,
    /// <summary>A person cancels the run.</summary>
    Cancel,
    /// <summary>A person queues a failed or cancelled run again.</summary>
    Resume,
    /// <summary>A person approves or rejects the step a waiting run asks about.</summary>
    Decide,
    /// <summary>
    /// A worker's claim fails a run whose deliveries kept ending without a commit (the claim script's poison guard,
    /// under the lease the claim takes).
    /// </summary>
    FailUndeliverable,
}

/// <summary>
/// The run state machine, in one place: which action is allowed in which status and which statuses it leads to.
/// The transition script gets its allowed statuses from here; the claim and commit scripts get theirs as Lua generated
/// from these rules (a test proves they agree); the API words its refusals with <see cref="Describe"/>.
/// </summary>
public static class RunStateMachine
{
    private static readonly Dictionary<RunAction, (string[] From, string[] To)> Rules = new()
    {
        [RunAction.Claim] = ([RunStatus.Queued, RunStatus.InProgress], [RunStatus.InProgress]),
        [RunAction.Commit] = ([RunStatus.InProgress], [RunStatus.InProgress, RunStatus.Complete]),
        [RunAction.Leave] = ([RunStatus.InProgress], [RunStatus.Complete, RunStatus.Failed, RunStatus.Waiting, RunStatus.Queued, RunStatus.Diverged]),
        [RunAction.Cancel] = ([RunStatus.Queued, RunStatus.InProgress, RunStatus.Waiting], [RunStatus.Cancelled]),
        [RunAction.Resume] = ([RunStatus.Failed, RunStatus.Cancelled], [RunStatus.Queued]),
        [RunAction.Decide] = ([RunStatus.Waiting], [RunStatus.Queued]),
        [RunAction.FailUndeliverable] = ([RunStatus.Queued, RunStatus.InProgress], [RunStatus.Failed]),
    };

    /// <summary>The statuses in which <paramref name="action"/> is allowed.</summary>
    public static IReadOnlyList<string> AllowedFrom(RunAction action) => Rules[action].From;

    /// <summary>The statuses <paramref name="action"/> can lead to.</summary>
    public static IReadOnlyList<string> LeadsTo(RunAction action) => Rules[action].To;

    /// <summary>Whether <paramref name="action"/> is allowed on a run in <paramref name="status"/>.</summary>
    public static bool Allows(RunAction action, string? status) => status is not null && Rules[action].From.Contains(status);

    /// <summary>Whether a run may go from <paramref name="from"/> to <paramref name="to"/> by any action.</summary>
    public static bool CanMove(string from, string to) => Rules.Values.Any(rule => rule.From.Contains(from) && rule.To.Contains(to));

    /// <summary>The statuses that allow <paramref name="action"/>, in words: "a queued, in_progress or waiting run".</summary>
    public static string Describe(RunAction action)
    {
        var from = Rules[action].From;
        var list = from.Length == 1 ? from[0] : string.Join(", ", from[..^1]) + " or " + from[^1];
        return (list[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an " : "a ") + list + " run";
    }
}
