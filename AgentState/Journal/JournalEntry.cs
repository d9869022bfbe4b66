using System.Text.Json;

namespace AgentAspire.AgentState.Journal;

/// <summary>
/// One recorded call of a step, stored before the step acts on it: a resumed attempt answers the same call from here
/// instead of paying for it again, and a replay answers a rerun from it.
/// </summary>
/// <param name="Kind">One of <see cref="JournalEntryKind"/>.</param>
/// <param name="Name">The model or tool called, or what the decision was about.</param>
/// <param name="RequestHash">SHA-256 (hex) of the request answered; a call matches an entry only with the same hash.</param>
/// <param name="Response">The answer as JSON: the model's response, the tool's result, or the decision.</param>
/// <param name="Usage">What the call used, for model calls the run paid for.</param>
/// <param name="Request">A short summary of the request, for a person reading where a replay diverged.</param>
public sealed record JournalEntry(string Kind, string Name, string RequestHash, JsonElement Response, ModelUsage? Usage = null, JsonElement? Request = null);
