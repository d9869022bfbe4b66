using System.Globalization;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Journal;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Queue;
using AgentAspire.AgentState.Scripting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Runs;

/// <summary>
/// Creates, reads, lists, changes and deletes runs: the checkpoint HASH <c>agent:state:{RUNID}</c>, its log and
/// lease, and the listing indexes.
/// </summary>
public sealed class RunStore
{
    private readonly IConnectionMultiplexer _connection;
    private readonly RunQueue _queue;
    private readonly AgentStateOptions _options;
    private readonly TimeProvider _timeProvider;

    internal RunStore(IConnectionMultiplexer connection, RunQueue queue, AgentSignals signals, RunIndexWrites indexWrites,
        IOptions<AgentStateOptions> options, TimeProvider timeProvider)
    {
        _connection = connection;
        _queue = queue;
        Signals = signals;
        IndexWrites = indexWrites;
        _options = options.Value;
        _timeProvider = timeProvider;
    }

    private static readonly RedisValue[] SummaryFields =
    [
        CheckpointFields.Agent, CheckpointFields.Status, CheckpointFields.CurrentStep,
        CheckpointFields.CreatedAt, CheckpointFields.UpdatedAt, CheckpointFields.Error, CheckpointFields.InputSummary,
        CheckpointFields.TokensIn, CheckpointFields.TokensOut, CheckpointFields.TokensCached, CheckpointFields.Cost, CheckpointFields.ModelCalls,
        CheckpointFields.ReplayOf,
    ];

    /// <summary>The one publisher of run signals, which the scripts of this store's runs wake through.</summary>
    internal AgentSignals Signals { get; }

    /// <summary>The batched listing-index writes that follow every change of a run.</summary>
    internal RunIndexWrites IndexWrites { get; }

    private IDatabase Database => _connection.GetDatabase();

    /// <summary>
    /// Creates and queues a run. A run id already created by the same request (same <see cref="NewRun.RequestHash"/>)
    /// is answered as <see cref="CreateRunOutcome.Existing"/>; by another request, as <see cref="CreateRunOutcome.Conflict"/>.
    /// </summary>
    public async Task<CreateRunResult> CreateAsync(NewRun run)
    {
        RunIds.ThrowIfInvalid(run.RunId);
        ArgumentException.ThrowIfNullOrEmpty(run.Agent);
        var now = _timeProvider.GetUtcNow();
        var startStep = run.CarriedSteps.Count == 0 ? 0 : run.CarriedSteps.Max(step => step.Step);
        var reply = await AgentScripts.Create.EvaluateRunAsync(
            Database,
            Signals,
            run.RunId,
            RunScriptArguments.Keys(run.RunId),
            RunScriptArguments.Arguments(run.RunId, now, _options, "", [
                run.RequestHash,
                LogDetailsJson.Write(new QueuedDetails(run.Agent, run.ForkedFrom, run.Replay?.Of)),
                startStep,
                .. CreatedFields(run, now, startStep),
            ])).ConfigureAwait(false);

        var outcome = reply.Outcome switch
        {
            ScriptOutcome.Created => CreateRunOutcome.Created,
            ScriptOutcome.Exists => CreateRunOutcome.Existing,
            _ => CreateRunOutcome.Conflict,
        };

        // A repeated start of a run that is still queued queues it again: if the first request died between
        // creating and queueing, this is what gets it going. A duplicate entry is harmless (claims are exclusive).
        if (outcome == CreateRunOutcome.Created || (outcome == CreateRunOutcome.Existing && reply.Status == RunStatus.Queued))
        {
            await Task.WhenAll(
                _queue.EnqueueAsync(run.RunId, run.TraceParent),
                IndexWrites.UpdateAsync(run.RunId, run.Agent, RunStatus.Queued, null, now)).ConfigureAwait(false);
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
        return await ApplyTransitionAsync(transition).ConfigureAwait(false);
    }

    /// <summary>Deletes every key of a run and its index entries; returns whether the run existed.</summary>
    /// <remarks>Its worker, if any, finds its next commit refused and stops.</remarks>
    public async Task<bool> DeleteAsync(string runId)
    {
        RunIds.ThrowIfInvalid(runId);
        var database = Database;
        var agent = await database.HashGetAsync(AgentKeys.State(runId), CheckpointFields.Agent).ConfigureAwait(false);
        var deleted = database.KeyDeleteAsync([
            AgentKeys.State(runId), AgentKeys.Log(runId), AgentKeys.Lease(runId), AgentKeys.Calls(runId),
            AgentKeys.WorkflowCheckpoints(runId), AgentKeys.WorkflowCheckpointIndex(runId),
        ]);
        var published = Signals.PublishRunCancelledAsync(runId);
        await Task.WhenAll(deleted, published, IndexWrites.RemoveAsync(runId, agent.ToString())).ConfigureAwait(false);
        return deleted.Result > 0;
    }

    /// <summary>
    /// The calls of step <paramref name="step"/> in a run's journal, by slot, read in one round trip: the
    /// <paramref name="count"/> the run's checkpoint gives (<see cref="RunCheckpoint.JournalCounts"/>).
    /// </summary>
    public Task<IReadOnlyDictionary<int, JournalEntry>> ReadJournalAsync(string runId, int step, int count)
    {
        RunIds.ThrowIfInvalid(runId);
        return JournalReads.ReadStepAsync(Database, runId, step, count);
    }

    /// <summary>Whether a run exists (its state has not expired or been deleted), without reading it.</summary>
    public Task<bool> ExistsAsync(string runId)
    {
        RunIds.ThrowIfInvalid(runId);
        return Database.KeyExistsAsync(AgentKeys.State(runId));
    }

    /// <summary>Whether a run's journal exists: a run that recorded calls keeps it as long as its state.</summary>
    public Task<bool> HasJournalAsync(string runId)
    {
        RunIds.ThrowIfInvalid(runId);
        return Database.KeyExistsAsync(AgentKeys.Calls(runId));
    }

    /// <summary>Every call in a run's journal, by step and slot; empty when it has none (or it expired).</summary>
    public async Task<IReadOnlyDictionary<(int Step, int Slot), JournalEntry>> ReadJournalAsync(string runId)
    {
        RunIds.ThrowIfInvalid(runId);
        var entries = await Database.HashGetAllAsync(AgentKeys.Calls(runId)).ConfigureAwait(false);
        return JournalReads.ParseAll(entries);
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
        var index = RunIndex.Keys(query.Status, query.Agent);
        var items = new List<RunSummary>(query.Limit);
        var last = cursor;

        // Entries of expired or moved runs are dropped (and removed), so a page may take a few reads to fill.
        for (var read = 0; read < 10 && items.Count < query.Limit; read++)
        {
            var batch = await RunIndex.ReadAsync(database, index, last, query.Limit - items.Count + 1).ConfigureAwait(false);
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
                    stale.Add(RunIndex.RemoveFromAsync(database, index, batch[i].RunId));
                }
                else if ((query.Agent is null || summary.Agent == query.Agent) && (query.Replays is null || (summary.ReplayOf is not null) == query.Replays))
                {
                    items.Add(summary);
                }
            }

            await Task.WhenAll(stale).ConfigureAwait(false);
        }

        // A full page, or one cut short by the read limit while runs that did not match were skipped: the listing
        // goes on from the last run read (only an index read to its end, above, says there is no more).
        return new RunPage(items, last is { } next && last != cursor ? next.Encode() : null);
    }

    /// <summary>Removes index entries of runs whose state expired (listings also drop them as they meet them).</summary>
    /// <param name="agents">The agents whose per-agent index to trim.</param>
    public Task<long> TrimIndexesAsync(IEnumerable<string> agents) =>
        RunIndex.TrimAsync(Database, _timeProvider.GetUtcNow() - _options.RunTtl, agents);

    // The one place a status change is applied: the script, then the listing indexes when the status changed, and
    // the word to every worker when the run was cancelled (its worker stops the step at once).
    internal async Task<TransitionResult> ApplyTransitionAsync(RunTransition transition)
    {
        var database = Database;
        var now = _timeProvider.GetUtcNow();
        var reply = await EvaluateTransitionAsync(database, transition, now, _options).ConfigureAwait(false);
        if (reply.Outcome == ScriptOutcome.Changed)
        {
            // agent "": the per-agent index is written once, at create (a run's agent never changes).
            var indexed = RunIndex.TryAsync(IndexWrites.UpdateAsync(transition.RunId, agent: "", transition.To, reply.Status, now));
            var published = transition.To == RunStatus.Cancelled ? Signals.PublishRunCancelledAsync(transition.RunId) : Task.CompletedTask;
            await Task.WhenAll(indexed, published).ConfigureAwait(false);
        }

        return ToTransitionResult(reply);
    }

    private async Task<ScriptReply> EvaluateTransitionAsync(IDatabaseAsync database, RunTransition transition, DateTimeOffset now, AgentStateOptions options)
    {
        return await AgentScripts.Transition.EvaluateRunAsync(
            database,
            Signals,
            transition.RunId,
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
            ])).ConfigureAwait(false);
    }

    private static TransitionResult ToTransitionResult(ScriptReply reply) => new(
        reply.Outcome switch
        {
            ScriptOutcome.Changed => TransitionOutcome.Changed,
            ScriptOutcome.Missing => TransitionOutcome.Missing,
            ScriptOutcome.Busy => TransitionOutcome.Busy,
            ScriptOutcome.Fenced => TransitionOutcome.Fenced,
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
            (CheckpointFields.InputSummary, InputSummary.Of(run.InputJson) ?? ""),
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

        if (run.Replay is { } replay)
        {
            fields = fields
                .Append((CheckpointFields.ReplayOf, replay.Of))
                .Append((CheckpointFields.ReplayMode, replay.Mode))
                .Append((CheckpointFields.ReplayLiveAfter, replay.LiveAfterStep.ToString(CultureInfo.InvariantCulture)));
        }

        foreach (var approval in run.CarriedApprovals)
        {
            if (approval.Prompt is { } prompt)
            {
                fields = fields.Append((CheckpointFields.ApprovalPrompt(approval.Step), prompt));
            }

            if (approval.DecisionJson is { } decision)
            {
                fields = fields.Append((CheckpointFields.Approval(approval.Step), decision));
            }
        }

        if (run.Budget?.Tokens is { } tokens)
        {
            fields = fields.Append((CheckpointFields.BudgetTokens, tokens.ToString(CultureInfo.InvariantCulture)));
        }

        if (run.Budget?.CostMicros is { } cost)
        {
            fields = fields.Append((CheckpointFields.BudgetCost, cost.ToString(CultureInfo.InvariantCulture)));
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
                fields[5].IsNull ? null : fields[5].ToString(),
                fields[6].IsNullOrEmpty ? null : fields[6].ToString())
            {
                Usage = new ModelUsage(Number(fields[7]), Number(fields[8]), Number(fields[9]), Number(fields[10]), (int)Number(fields[11])),
                ReplayOf = fields[12].IsNullOrEmpty ? null : fields[12].ToString(),
            };

    private static long Number(RedisValue value) => value.TryParse(out long number) ? number : 0;
}
