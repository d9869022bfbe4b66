using System.Diagnostics;
using System.Text.Json;
using AgentAspire.Agents.Chat;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Journal;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AgentAspire.Agents.Journaling;

/// <summary>
/// The journal of one step of a held run: every model call, model-loop tool call and decision of the step is given the
/// next slot (<c>STEP:N</c>) and recorded in Valkey before the step acts on it. When the step runs again (a resumed run,
/// a retry, a decision given) the calls it makes again are answered from their slots: no model turn is paid twice, no
/// tool runs twice, no person is asked twice. Budgets are checked here, before a model call and after it.
/// </summary>
public sealed partial class StepJournal
{
    /// <summary>What a budget decision is about, in its journal entry.</summary>
    public const string BudgetDecision = "budget";

    private readonly RunLease _lease;
    private readonly int _step;
    private readonly Dictionary<int, JournalEntry> _recorded;
    private readonly RunSpend _spend;
    private readonly ApprovalDecision? _approval;
    private readonly ModelPrices _prices;
    private readonly ILogger _logger;
    private readonly HashSet<string> _usedDecisions;
    private readonly ReplaySource? _source;
    private int _slot;

    /// <summary>Opens the journal of step <paramref name="step"/>.</summary>
    /// <param name="lease">The claim every record is fenced by.</param>
    /// <param name="step">The step's number.</param>
    /// <param name="recorded">What the step's journal already holds (<see cref="RunLease.ReadJournalAsync"/>).</param>
    /// <param name="spend">The run's spend and budget for this claim.</param>
    /// <param name="approval">A person's decision on the step's last pause, if one was given.</param>
    /// <param name="prices">The price table.</param>
    /// <param name="logger">Where a journal that disagrees with the step is reported.</param>
    /// <param name="source">For a replay: the replayed run's record of this step, which answers the calls first.</param>
    public StepJournal(RunLease lease, int step, IReadOnlyDictionary<int, JournalEntry> recorded, RunSpend spend, ApprovalDecision? approval, ModelPrices prices, ILogger logger, ReplaySource? source = null)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(logger);
        _lease = lease;
        _step = step;
        _recorded = new Dictionary<int, JournalEntry>(recorded);
        _spend = spend;
        _approval = approval;
        _prices = prices;
        _logger = logger;
        _source = source;
        _usedDecisions = _recorded.Values.Select(DecisionOf).OfType<ApprovalDecision>().Select(DecisionKey).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>A retry of the step starts again at its first call, so the calls its failed try made are answered from the journal.</summary>
    public void Restart() => _slot = 0;

    /// <summary>
    /// Answers a model call: from the journal when this slot holds the answer to the same request, else from
    /// <paramref name="model"/> after the budget allows it, recorded (with its usage and <c>model_call</c> entry) before
    /// it is returned. The response returned is the one recorded, read back, so a live and a replayed turn continue alike.
    /// </summary>
    /// <exception cref="RunPausedException">The budget is reached: the run waits for a person.</exception>
    /// <exception cref="BudgetRejectedException">A person refused to raise the budget.</exception>
    public async Task<ChatResponse> CallModelAsync(IChatClient model, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var history = messages as IList<ChatMessage> ?? messages.ToList();
        var hash = RequestHash(history, options);
        var request = RequestSummary(history, options);
        var answered = NextRecorded(JournalEntryKind.Model, hash) ?? _source?.Answer(_slot + 1, JournalEntryKind.Model, hash);
        ThrowIfRejected(await DecideAsync(BudgetDecision, needed: answered is null && _spend.Budget.IsReachedBy(_spend.Total), BudgetPrompt).ConfigureAwait(false));

        var slot = ++_slot;
        if (await ReplayAsync(slot, JournalEntryKind.Model, hash).ConfigureAwait(false) is { } replay)
        {
            var usage = replay.Usage ?? ModelUsage.None;
            var replayed = Read(replay.Response);
            AgentTelemetry.ModelCallsReplayed.Add(1, new KeyValuePair<string, object?>(AgentTelemetry.ModelAttribute, replay.Name));
            await _lease.AppendAsync(LogActions.ModelCall, LogDetailsJson.Write(CallDetails(replayed, replay.Name, slot, usage, 0, replayed: true)), _step).ConfigureAwait(false);
            // A pause recorded after this call is answered (or asked again) where it was made.
            ThrowIfRejected(await DecideAsync(BudgetDecision, needed: false, BudgetPrompt).ConfigureAwait(false));
            return replayed;
        }

        if (await FromRecordAsync(slot, JournalEntryKind.Model, hash, request).ConfigureAwait(false) is { } original)
        {
            // Answered from the replayed run's record: nothing is paid, so nothing is counted in this run's totals.
            var answer = Read(original.Response);
            var fromRecord = CallDetails(answer, original.Name, slot, original.Usage ?? ModelUsage.None, 0, replayed: false) with { Recorded = true, Cost = 0 };
            await RecordAsync(slot, original with { Usage = null, Request = request }, LogActions.ModelCall, LogDetailsJson.Write(fromRecord)).ConfigureAwait(false);
            return answer;
        }

        await ThrowUnlessHeldAsync().ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        var response = await model.GetResponseAsync(history, options, cancellationToken).ConfigureAwait(false);
        var duration = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var name = response.ModelId ?? options?.ModelId ?? model.GetService<ChatClientMetadata>()?.DefaultModelId ?? "unknown";
        var used = UsageOf(name, response.Usage);
        var json = JsonSerializer.SerializeToElement(response, AIJsonUtilities.DefaultOptions);
        var details = CallDetails(response, name, slot, used, duration, replayed: false);
        var totals = await RecordAsync(slot, new JournalEntry(JournalEntryKind.Model, name, hash, json, used, request), LogActions.ModelCall, LogDetailsJson.Write(details)).ConfigureAwait(false);
        _spend.Total = totals ?? _spend.Total + used;
        AgentTelemetry.ModelCost.Add((double)used.Cost, new KeyValuePair<string, object?>(AgentTelemetry.ModelAttribute, name));

        // The answer is recorded: a pause now costs nothing when the run goes on, and the run overspends by one call at most.
        ThrowIfRejected(await DecideAsync(BudgetDecision, needed: _spend.Budget.IsExceededBy(_spend.Total), BudgetPrompt).ConfigureAwait(false));
        return Read(json);
    }

    /// <summary>
    /// Answers a tool call of the step: from the journal when this slot holds the result of the same call, else by
    /// <paramref name="live"/> (the tool cache), recorded with its <c>tool_call</c> entry before it is returned. A tool
    /// that asks first gets a person's decision, recorded in its own slot.
    /// </summary>
    /// <exception cref="RunPausedException">The tool asks first and no decision was given yet.</exception>
    /// <exception cref="ToolCallRejectedException">A person refused the call.</exception>
    public async Task<JsonElement> CallToolAsync(IAgentTool tool, JsonElement arguments, Func<CancellationToken, Task<(JsonElement Result, ToolCallDetails Details)>> live, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(live);
        var hash = CanonicalJson.Hash(JsonSerializer.Serialize(new { tool = tool.Name, arguments }, AgentJson.Options));
        if (tool.RequiresApproval)
        {
            var decision = await DecideAsync($"tool:{tool.Name}", needed: true,
                () => $"The model wants to call '{tool.Name}' with {arguments.GetRawText()}. Approve to run it; reject to tell the model no.").ConfigureAwait(false);
            if (decision is { Approved: false })
            {
                throw new ToolCallRejectedException(tool.Name, decision.Comment);
            }
        }

        var slot = ++_slot;
        if (await ReplayAsync(slot, JournalEntryKind.Tool, hash).ConfigureAwait(false) is { } replay)
        {
            var details = new ToolCallDetails(tool.Name, CacheHit: false, Key: "", DurationMs: 0, Replayed: true, Turn: slot, Server: tool.Server);
            await _lease.AppendAsync(LogActions.ToolCall, LogDetailsJson.Write(details), _step).ConfigureAwait(false);
            return replay.Response;
        }

        var request = JsonSerializer.SerializeToElement(new { tool = tool.Name, arguments }, AgentJson.Options);
        if (await FromRecordAsync(slot, JournalEntryKind.Tool, hash, request).ConfigureAwait(false) is { } original)
        {
            var details = new ToolCallDetails(tool.Name, CacheHit: false, Key: "", DurationMs: 0, Turn: slot, Recorded: true, Server: tool.Server);
            await RecordAsync(slot, original with { Request = request }, LogActions.ToolCall, LogDetailsJson.Write(details)).ConfigureAwait(false);
            return original.Response;
        }

        await ThrowUnlessHeldAsync().ConfigureAwait(false);
        var (result, called) = await live(cancellationToken).ConfigureAwait(false);
        await RecordAsync(slot, new JournalEntry(JournalEntryKind.Tool, tool.Name, hash, result, Request: request), LogActions.ToolCall, LogDetailsJson.Write(called with { Turn = slot })).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// The decision on a pause about <paramref name="about"/> at the next slot: the recorded one, or the person's
    /// decision on the step's last pause when the slot waits for it (then recorded), or null when none is
    /// <paramref name="needed"/>. A needed decision not given yet is recorded as pending and pauses the run.
    /// </summary>
    /// <exception cref="RunPausedException">The run waits for a person.</exception>
    public async Task<ApprovalDecision?> DecideAsync(string about, bool needed, Func<string> prompt)
    {
        ArgumentException.ThrowIfNullOrEmpty(about);
        ArgumentNullException.ThrowIfNull(prompt);
        var slot = _slot + 1;
        if (_recorded.TryGetValue(slot, out var entry) && entry.Kind == JournalEntryKind.Decision && entry.Name == about)
        {
            _slot = slot;
            if (DecisionOf(entry) is { } recorded)
            {
                return recorded;
            }

            // The slot waits for a decision: the person's latest one answers it, unless an earlier pause used it.
            if (_approval is { } given && _usedDecisions.Add(DecisionKey(given)))
            {
                await RecordAsync(slot, new JournalEntry(JournalEntryKind.Decision, about, entry.RequestHash, JsonSerializer.SerializeToElement(given, AgentJson.Options)), null, null).ConfigureAwait(false);
                return given;
            }

            throw new RunPausedException(prompt());
        }

        // A replay is given the decisions its record holds: it asks no one what the replayed run was already told.
        if (_source?.At(slot) is { Kind: JournalEntryKind.Decision } original && original.Name == about && !_source.Progress.HasDiverged && DecisionOf(original) is { } told)
        {
            _slot = slot;
            await RecordAsync(slot, original, null, null).ConfigureAwait(false);
            return told;
        }

        if (!needed)
        {
            return null;
        }

        _slot = slot;
        await RecordAsync(slot, new JournalEntry(JournalEntryKind.Decision, about, CanonicalJson.Hash(JsonSerializer.Serialize(about)), Pending), null, null).ConfigureAwait(false);
        throw new RunPausedException(prompt());
    }

    private static readonly JsonElement Pending = JsonSerializer.SerializeToElement(new { pending = true });

    private static ApprovalDecision? DecisionOf(JournalEntry entry) =>
        entry.Kind == JournalEntryKind.Decision && entry.Response.ValueKind == JsonValueKind.Object && entry.Response.TryGetProperty("approved", out _)
            ? entry.Response.Deserialize<ApprovalDecision>(AgentJson.Options)
            : null;

    // A decision written before decisions had ids is the only one its step was given.
    private static string DecisionKey(ApprovalDecision decision) => decision.Id ?? "";

    private static void ThrowIfRejected(ApprovalDecision? decision)
    {
        if (decision is { Approved: false })
        {
            throw new BudgetRejectedException(string.IsNullOrWhiteSpace(decision.Comment)
                ? "The run reached its budget and a person refused to raise it."
                : $"The run reached its budget and a person refused to raise it: {decision.Comment}");
        }
    }

    private string BudgetPrompt() =>
        $"The run has spent {_spend.Total.TotalTokens} tokens ({_spend.Total.InputTokens} in, {_spend.Total.OutputTokens} out) costing {_spend.Total.Cost:0.######}, " +
        $"and its budget is {_spend.Budget}. Approve with a higher budget to go on, or reject to fail the run.";

    private JournalEntry? NextRecorded(string kind, string hash) =>
        _recorded.TryGetValue(_slot + 1, out var entry) && entry.Kind == kind && entry.RequestHash == hash ? entry : null;

    // The recorded answer of this slot for the same request; a different record there is reported, then overwritten.
    private async Task<JournalEntry?> ReplayAsync(int slot, string kind, string hash)
    {
        if (!_recorded.TryGetValue(slot, out var entry))
        {
            return null;
        }

        if (entry.Kind == kind && entry.RequestHash == hash)
        {
            return entry;
        }

        LogMismatch(_logger, _lease.RunId, _step, slot, entry.Kind, entry.Name, kind);
        await _lease.AppendAsync(LogActions.JournalMismatch, LogDetailsJson.Write(new JournalMismatchDetails(slot, $"{entry.Kind} {entry.Name}", kind)), _step).ConfigureAwait(false);
        return null;
    }

    // The replayed run's answer at this slot for the same request; where it has none, the replay diverges here: a
    // recorded replay stops, a live-after one goes live from here on.
    private async Task<JournalEntry?> FromRecordAsync(int slot, string kind, string hash, JsonElement request)
    {
        if (_source is null || _source.Progress.HasDiverged)
        {
            return null;
        }

        if (_source.Answer(slot, kind, hash) is { } original)
        {
            return original;
        }

        var details = new DivergedDetails(_step, slot, _source.At(slot)?.Request, request);
        _source.Progress.HasDiverged = true;
        if (_source.StopsOnDivergence)
        {
            throw new ReplayDivergedException(details);
        }

        // Live from here on: the entry says where the record stopped answering.
        await _lease.AppendAsync(LogActions.Diverged, LogDetailsJson.Write(details), _step).ConfigureAwait(false);
        return null;
    }

    // What a person needs to see where two runs asked different things: how long the conversation was, its last
    // message (cut short) and the tools offered. The hash, not this, decides whether two requests are the same.
    private static JsonElement RequestSummary(IList<ChatMessage> messages, ChatOptions? options)
    {
        const int longest = 500;
        var last = messages.Count == 0 ? null : messages[^1];
        var text = last is null ? "" : string.Join(' ', last.Contents.Select(content => content switch
        {
            TextContent plain => plain.Text,
            FunctionCallContent call => $"{call.Name}({JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions)})",
            FunctionResultContent result => JsonSerializer.Serialize(result.Result, AIJsonUtilities.DefaultOptions),
            _ => "",
        }));
        return JsonSerializer.SerializeToElement(new
        {
            messages = messages.Count,
            last = new { role = last?.Role.Value, text = text.Length > longest ? text[..longest] + "…" : text },
            tools = options?.Tools?.Select(tool => tool.Name).ToList(),
        }, AgentJson.Options);
    }

    private async Task ThrowUnlessHeldAsync()
    {
        if (!await _lease.IsHeldAsync().ConfigureAwait(false))
        {
            // Lost or Stopped has fired: nothing is paid for a run this worker no longer holds.
            throw new OperationCanceledException($"Run {_lease.RunId} is no longer held by this worker; the call is not made.");
        }
    }

    private async Task<ModelUsage?> RecordAsync(int slot, JournalEntry entry, string? action, string? details)
    {
        var recorded = await _lease.RecordCallAsync(_step, slot, entry, action, details).ConfigureAwait(false);
        if (!recorded.IsRecorded)
        {
            throw new OperationCanceledException($"Run {_lease.RunId} is no longer held by this worker; its call is not used.");
        }

        _recorded[slot] = entry;
        return recorded.RunUsage;
    }

    private ModelUsage UsageOf(string model, UsageDetails? usage)
    {
        long input = usage?.InputTokenCount ?? 0, output = usage?.OutputTokenCount ?? 0, cached = usage?.CachedInputTokenCount ?? 0;
        return new ModelUsage(input, output, cached, _prices.For(model)?.CostMicros(input, output, cached) ?? 0, Calls: 1);
    }

    private static ModelCallDetails CallDetails(ChatResponse response, string model, int slot, ModelUsage usage, double durationMs, bool replayed) => new(
        model, slot, usage.InputTokens, usage.OutputTokens, usage.CachedInputTokens, usage.Cost, Math.Round(durationMs, 3),
        response.FinishReason?.Value, replayed,
        response.Messages.SelectMany(message => message.Contents).OfType<FunctionCallContent>().Select(call => call.Name).ToList() is { Count: > 0 } tools ? tools : null);

    private static ChatResponse Read(JsonElement json) =>
        json.Deserialize<ChatResponse>(AIJsonUtilities.DefaultOptions) ?? throw new InvalidOperationException("A recorded model answer could not be read.");

    // What the model is asked: the messages and the options, with the tools by name and schema (the options' own
    // JSON leaves them out), canonicalized so a property order never changes the hash.
    private static string RequestHash(IList<ChatMessage> messages, ChatOptions? options)
    {
        var settings = options?.Clone();
        var tools = settings?.Tools?.Select(tool => new { tool.Name, Schema = (tool as AIFunctionDeclaration)?.JsonSchema }).ToList();
        if (settings is not null)
        {
            settings.Tools = null;
        }

        return CanonicalJson.Hash(JsonSerializer.Serialize(new { messages, options = settings, tools }, AIJsonUtilities.DefaultOptions));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId}, step {Step}: call {Slot} was recorded as {Kind} '{Name}' but the step now makes a {Requested} call; the step is not deterministic, and the call is made again.")]
    private static partial void LogMismatch(ILogger logger, string runId, int step, int slot, string kind, string name, string requested);
}
