using System.Text.Json;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Logs;
using System.Globalization;

namespace AgentAspire.Fault.Tests;

/// <summary>What the fault tier checks on every run after the faults: committed once, checkpoint and log agree, tools paid once.</summary>
internal sealed class RunAudit
{
    private readonly Dictionary<string, int> _computations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _computationsWithTakeovers = new(StringComparer.Ordinal);

    public int Runs { get; private set; }

    public int Claims { get; private set; }

    public int ToolCalls { get; private set; }

    public int ToolMisses { get; private set; }

    /// <summary>Tool calls a resumed step answered from its journal: neither a cache hit nor a computation.</summary>
    public int JournalAnswers { get; private set; }

    public int LockTakeovers { get; private set; }

    /// <summary>Tool keys computed more than once without a lock takeover (a kill inside that very call).</summary>
    public IEnumerable<KeyValuePair<string, int>> ComputedTwice => _computations.Where(pair => pair.Value > 1);

    /// <summary>Every tool key the logs show computed (a cache miss), with how often, lock takeovers included.</summary>
    public IReadOnlyDictionary<string, int> ComputationsPerKey => _computationsWithTakeovers;

    /// <summary>The tool keys whose lock a waiter took over, each once per takeover.</summary>
    public List<string> TakenOverKeys { get; } = [];

    /// <summary>Checks one completed run of the research agent, or of the agent whose <paramref name="stepNames"/> are given; throws with the run's log on any disagreement.</summary>
    public void Check(RunCheckpoint checkpoint, IReadOnlyList<LogEntry> log, IReadOnlyList<string>? stepNames = null)
    {
        stepNames ??= FaultCluster.StepNames;
        Runs++;
        var where = $"run {checkpoint.RunId}:\n" + string.Join("\n", log.Select(entry => $"  {entry.Id} {entry.Action} step={entry.Step} attempt={entry.Attempt} worker={entry.Worker} {entry.DetailsJson}"));
        Assert.True(checkpoint.Status == RunStatus.Complete, $"status {checkpoint.Status}, error {checkpoint.Error}; {where}");
        Assert.True(checkpoint.CurrentStep == stepNames.Count, $"current_step {checkpoint.CurrentStep}; {where}");

        // Each step committed exactly once, in order, and the checkpoint holds exactly those results.
        var commits = log.Where(entry => stepNames.Contains(entry.Action)).ToList();
        Assert.True(commits.Select(entry => entry.Step).SequenceEqual(Enumerable.Range(1, stepNames.Count)), $"commits out of line; {where}");
        Assert.True(commits.Select(entry => entry.Action).SequenceEqual(stepNames), $"commit names out of line; {where}");
        Assert.True(checkpoint.Steps.Select(step => step.Name).SequenceEqual(stepNames), $"checkpoint steps {string.Join(",", checkpoint.Steps.Select(step => step.Name))}; {where}");
        Assert.True(log.Count(entry => entry.Action == "complete") == 1, $"'complete' not logged once; {where}");
        Assert.True(log[^1].Action == "complete", $"entries after 'complete'; {where}");

        // Every commit was made under the claim (attempt) that is the last one to start before it.
        var claims = log.Where(entry => entry.Action is "started" or "resumed").ToList();
        Claims += claims.Count;
        foreach (var commit in commits)
        {
            var claim = claims.Last(entry => IsBefore(entry.Id, commit.Id));
            Assert.True(claim.Attempt == commit.Attempt && claim.Worker == commit.Worker, $"commit {commit.Id} by {commit.Worker}/{commit.Attempt} after claim by {claim.Worker}/{claim.Attempt}; {where}");
        }

        AssertOneWriterPerAttempt(log, where);

        foreach (var call in log.Where(entry => entry.Action == "tool_call"))
        {
            using var details = JsonDocument.Parse(call.DetailsJson);
            var root = details.RootElement;
            ToolCalls++;
            if (root.TryGetProperty("replayed", out var replayed) && replayed.GetBoolean())
            {
                JournalAnswers++;
                continue;
            }

            if (root.GetProperty("cacheHit").GetBoolean())
            {
                continue;
            }

            ToolMisses++;
            var key = root.GetProperty("key").GetString()!;
            _computationsWithTakeovers[key] = _computationsWithTakeovers.GetValueOrDefault(key) + 1;
            if (root.TryGetProperty("lockTakenOver", out var takenOver) && takenOver.GetBoolean())
            {
                LockTakeovers++;
                TakenOverKeys.Add(key);
                continue;
            }

            _computations[key] = _computations.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>
    /// Every entry a worker wrote under a claim (an attempt) was written by the worker that made that claim: no worker
    /// writes for a run it does not hold, a <c>failed</c> entry included.
    /// </summary>
    public static void AssertOneWriterPerAttempt(IReadOnlyList<LogEntry> log, string where)
    {
        foreach (var attempt in log.Where(entry => entry.Worker.Length > 0).GroupBy(entry => entry.Attempt))
        {
            var writers = attempt.Select(entry => entry.Worker).Distinct().ToList();
            Assert.True(writers.Count == 1, $"attempt {attempt.Key} written by {string.Join(" and ", writers)}; {where}");
        }
    }

    /// <summary>Whether stream entry id <paramref name="a"/> (ms-seq) comes before <paramref name="b"/>.</summary>
    public static bool IsBefore(string a, string b) => Parse(a).CompareTo(Parse(b)) < 0;

    private static (long Ms, long Seq) Parse(string id)
    {
        var parts = id.Split('-');
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
