using System.Globalization;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Queue;
using AgentAspire.AgentState.Scripting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Runs;

/// <summary>
/// Creates, reads, lists, changes and deletes runs: the checkpoint HASH <c>agent:state:{RUNID}</c>, its log and
/// lease, and the listing indexes.
/// </summary>
public sealed class CheckpointStore(IConnectionMultiplexer connection, RunQueue queue, IOptions<AgentStateOptions> options, TimeProvider timeProvider)
{
    private static readonly RedisValue[] SummaryFields =
    [
        CheckpointFields.Agent, CheckpointFields.Status, CheckpointFields.CurrentStep,
        CheckpointFields.CreatedAt, CheckpointFields.UpdatedAt, CheckpointFields.Error,
    ];

    private IDatabase Database => connection.GetDatabase();

    /// <summary>
    /// Creates and queues a run. A run id already created by the same request (same <see cref="NewRun.RequestHash"/>)
    /// is answered as <see cref="CreateRunOutcome.Existing"/>; by another request, as <see cref="CreateRunOutcome.Conflict"/>.
    /// </summary>
    public async Task<CreateRunResult> CreateAsync(NewRun run)
    {
        RunIds.ThrowIfInvalid(run.RunId);
        ArgumentException.ThrowIfNullOrEmpty(run.Agent);
        var now = timeProvider.GetUtcNow();
        var startStep = run.CarriedSteps.Count == 0 ? 0 : run.CarriedSteps.Max(step => step.Step);
        var reply = ScriptReply.From(await AgentScripts.Create.EvaluateAsync(
            Database,
            RunScriptArguments.Keys(run.RunId),
            RunScriptArguments.Arguments(run.RunId, now, options.Value, "", [
                run.RequestHash,
                AgentJsonText.Object(("agent", run.Agent), ("forkedFrom", run.ForkedFrom)),
                startStep,
                .. CreatedFields(run, now, startStep),
            ])).ConfigureAwait(false));

        var outcome = reply.Outcome switch
        {
            "created" => CreateRunOutcome.Created,
            "exists" => CreateRunOutcome.Existing,
            _ => CreateRunOutcome.Conflict,
        };

        // A repeated start of a run that is still queued queues it again: if the first request died between
        // creating and queueing, this is what gets it going. A duplicate entry is harmless (claims are exclusive).
        if (outcome == CreateRunOutcome.Created || (outcome == CreateRunOutcome.Existing && reply.Status == RunStatus.Queued))
        {
            await Task.WhenAll(
                queue.EnqueueAsync(run.RunId, run.TraceParent),
                RunIndex.UpdateAsync(Database, run.RunId, run.Agent, RunStatus.Queued, null, now)).ConfigureAwait(false);
        }

        return new CreateRunResult(run.RunId, outcome, reply.Status);
    }

    /// <summary>Loads a run's checkpoint with every step result; <see langword="null"/> when it does not exist.</summary>
    public async Task<RunCheckpoint?> GetAsync(string runId)
    {
        RunIds.ThrowIfInvalid(runId);
        var entries = await Database.HashGetAllAsync(AgentKeys.State(runId)).ConfigureAwait(false);
        return RunCheckpoint.FromHash(runId, entries);
    }

    /// <summary>Changes a run's status if its current status and lease allow it, and logs the change.</summary>
    public async Task<TransitionResult> TransitionAsync(RunTransition transition)
    {
        RunIds.ThrowIfInvalid(transition.RunId);
        var now = timeProvider.GetUtcNow();
        var reply = await EvaluateTransitionAsync(Database, transition, now, options.Value).ConfigureAwait(false);
        if (reply.Outcome == "changed")
        {
            await RunIndex.UpdateAsync(Database, transition.RunId, (string?)reply.Items[2] ?? "", transition.To, reply.Status, now).ConfigureAwait(false);
        }

        return ToTransitionResult(reply);
    }

    /// <summary>Deletes every key of a run and its index entries; returns whether the run existed.</summary>
    /// <remarks>Its worker, if any, finds its next commit refused and stops.</remarks>
    public async Task<bool> DeleteAsync(string runId)
    {
        RunIds.ThrowIfInvalid(runId);
        var database = Database;
        var agent = await database.HashGetAsync(AgentKeys.State(runId), CheckpointFields.Agent).ConfigureAwait(false);
        var deleted = database.KeyDeleteAsync([
            AgentKeys.State(runId), AgentKeys.Log(runId), AgentKeys.Lease(runId),
            AgentKeys.WorkflowCheckpoints(runId), AgentKeys.WorkflowCheckpointIndex(runId),
        ]);
        var published = database.PublishAsync(RedisChannel.Literal(AgentKeys.RunCancelledChannel), runId);
        await Task.WhenAll(deleted, published, RunIndex.RemoveAsync(database, runId, agent.ToString())).ConfigureAwait(false);
        return deleted.Result > 0;
    }

    /// <summary>Lists runs newest update first, optionally by status and agent, a page at a time.</summary>
    /// <exception cref="ArgumentException">The limit, status or cursor is not acceptable.</exception>
    public async Task<RunPage> ListAsync(RunQuery query)
    {
        if (query.Limit is < 1 or > RunQuery.MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, $"The limit must be between 1 and {RunQuery.MaxLimit}.");
        }

        if (query.Status is not null && !RunStatus.IsValid(query.Status))
        {
            throw new ArgumentException($"Unknown status '{query.Status}'; expected one of: {string.Join(", ", RunStatus.All)}.", nameof(query));
        }

        RunCursor? cursor = null;
        if (query.Cursor is not null)
        {
            cursor = RunCursor.TryDecode(query.Cursor, out var decoded)
                ? decoded
                : throw new ArgumentException("The cursor is not one this service returned.", nameof(query));
        }

        var database = Database;
        var index = query.Status is not null ? AgentKeys.RunIndexByStatus(query.Status)
            : query.Agent is not null ? AgentKeys.RunIndexByAgent(query.Agent)
            : AgentKeys.RunIndex;
        var items = new List<RunSummary>(query.Limit);
        var last = cursor;

        // Entries of expired or moved runs are dropped (and removed), so a page may take a few reads to fill.
        for (var read = 0; read < 10 && items.Count < query.Limit; read++)
        {
            var batch = await ReadIndexAsync(database, index, last, query.Limit - items.Count + 1).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return new RunPage(items, null);
            }

            var fields = await Task.WhenAll(batch.Select(entry => database.HashGetAsync(AgentKeys.State(entry.RunId), SummaryFields))).ConfigureAwait(false);
            var stale = new List<Task>();
            for (var i = 0; i < batch.Count && items.Count < query.Limit; i++)
            {
                last = batch[i];
                var summary = ToSummary(batch[i].RunId, fields[i]);
                if (summary is null || (query.Status is not null && summary.Status != query.Status))
                {
                    stale.Add(database.SortedSetRemoveAsync(index, batch[i].RunId));
                }
                else if (query.Agent is null || summary.Agent == query.Agent)
                {
                    items.Add(summary);
                }
            }

            await Task.WhenAll(stale).ConfigureAwait(false);
        }

        return new RunPage(items, items.Count == query.Limit && last is { } next ? next.Encode() : null);
    }

    /// <summary>Removes index entries of runs whose state expired (listings also drop them as they meet them).</summary>
    /// <param name="agents">The agents whose per-agent index to trim.</param>
    public Task<long> TrimIndexesAsync(IEnumerable<string> agents) =>
        RunIndex.TrimAsync(Database, timeProvider.GetUtcNow() - options.Value.RunTtl, agents);

    internal static async Task<ScriptReply> EvaluateTransitionAsync(IDatabaseAsync database, RunTransition transition, DateTimeOffset now, AgentStateOptions options)
    {
        return ScriptReply.From(await AgentScripts.Transition.EvaluateAsync(
            database,
            RunScriptArguments.Keys(transition.RunId),
            RunScriptArguments.Arguments(transition.RunId, now, options, transition.Worker, [
                string.Join(' ', transition.AllowedFrom),
                transition.To,
                transition.Lease,
                transition.ReleaseLease ? "1" : "0",
                transition.Action,
                transition.DetailsJson,
                string.Join(' ', transition.Remove),
                .. transition.Set.SelectMany(pair => new RedisValue[] { pair.Key, pair.Value }),
            ])).ConfigureAwait(false));
    }

    internal static TransitionResult ToTransitionResult(ScriptReply reply) => new(
        reply.Outcome switch
        {
            "changed" => TransitionOutcome.Changed,
            "missing" => TransitionOutcome.Missing,
            "busy" => TransitionOutcome.Busy,
            "fenced" => TransitionOutcome.Fenced,
            _ => TransitionOutcome.Conflict,
        },
        reply.Status);

    private static IEnumerable<RedisValue> CreatedFields(NewRun run, DateTimeOffset now, int startStep)
    {
        var created = UnixTime.Format(now);
        IEnumerable<(string Field, string Value)> fields =
        [
            (CheckpointFields.Status, RunStatus.Queued),
            (CheckpointFields.CurrentStep, startStep.ToString(CultureInfo.InvariantCulture)),
            (CheckpointFields.Agent, run.Agent),
            (CheckpointFields.Input, run.InputJson),
            (CheckpointFields.CreatedAt, created),
            (CheckpointFields.Fence, "0"),
            (CheckpointFields.Attempt, "0"),
            (CheckpointFields.RequestHash, run.RequestHash),
            (CheckpointFields.TraceParent, run.TraceParent ?? ""),
        ];
        if (run.ForkedFrom is not null)
        {
            fields = fields.Append((CheckpointFields.ForkedFrom, run.ForkedFrom));
        }

        foreach (var step in run.CarriedSteps)
        {
            fields = fields
                .Append((CheckpointFields.Result(step.Step), step.ResultJson))
                .Append((CheckpointFields.StepName(step.Step), step.Name))
                .Append((CheckpointFields.StepAt(step.Step), step.CommittedAt is { } at ? UnixTime.Format(at) : created));
        }

        return fields.SelectMany(pair => new RedisValue[] { pair.Field, pair.Value });
    }

    private static async Task<List<RunCursor>> ReadIndexAsync(IDatabaseAsync database, string index, RunCursor? after, int count)
    {
        // Ties on the score come in descending id order; skip those at or before the cursor.
        var max = after?.Score ?? double.PositiveInfinity;
        var skipped = 0;
        while (true)
        {
            var entries = await database.SortedSetRangeByScoreWithScoresAsync(index, double.NegativeInfinity, max, Exclude.None, Order.Descending, skipped, count).ConfigureAwait(false);
            var page = entries
                .Select(entry => new RunCursor(entry.Score, entry.Element.ToString()))
                .Where(entry => after is not { } cursor || entry.Score < cursor.Score || string.CompareOrdinal(entry.RunId, cursor.RunId) < 0)
                .ToList();
            if (page.Count > 0 || entries.Length < count)
            {
                return page;
            }

            skipped += entries.Length;
        }
    }

    private static RunSummary? ToSummary(string runId, RedisValue[] fields) =>
        fields[1].IsNull
            ? null
            : new RunSummary(
                runId,
                fields[0].ToString(),
                fields[1].ToString(),
                int.TryParse(fields[2].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var step) ? step : 0,
                UnixTime.Parse(fields[3]),
                UnixTime.Parse(fields[4]),
                fields[5].IsNull ? null : fields[5].ToString());
}
