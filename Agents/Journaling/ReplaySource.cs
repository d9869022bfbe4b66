using AgentAspire.AgentState.Journal;

namespace AgentAspire.Agents.Journaling;

/// <summary>
/// The record a replay's step is answered from: the calls the same step of the replayed run made, by slot. A call is
/// answered only when the replayed run made the same request (same hash) at the same place.
/// </summary>
/// <param name="entries">The replayed run's calls of this step.</param>
/// <param name="stopsOnDivergence">Whether the first call the record cannot answer stops the replay (<c>recorded</c> mode) or turns it live.</param>
/// <param name="progress">Shared by every step of the claim: once diverged, a <c>live-after</c> replay stays live.</param>
public sealed class ReplaySource(IReadOnlyDictionary<int, JournalEntry> entries, bool stopsOnDivergence, ReplayProgress progress)
{
    /// <summary>Whether the first call the record cannot answer stops the replay.</summary>
    public bool StopsOnDivergence { get; } = stopsOnDivergence;

    /// <summary>Where the replay stands.</summary>
    public ReplayProgress Progress { get; } = progress;

    /// <summary>The recorded answer of <paramref name="slot"/> for the same request, unless the replay went live.</summary>
    public JournalEntry? Answer(int slot, string kind, string requestHash) =>
        !Progress.HasDiverged && entries.TryGetValue(slot, out var entry) && entry.Kind == kind && entry.RequestHash == requestHash ? entry : null;

    /// <summary>What the replayed run recorded at <paramref name="slot"/>, if anything.</summary>
    public JournalEntry? At(int slot) => entries.GetValueOrDefault(slot);
}
