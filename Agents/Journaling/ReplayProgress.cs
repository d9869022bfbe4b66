namespace AgentAspire.Agents.Journaling;

/// <summary>Where a replay stands within one claim: whether it met a call its record could not answer.</summary>
public sealed class ReplayProgress
{
    /// <summary>True once a call could not be answered from the record; a <c>live-after</c> replay is live from there on.</summary>
    public bool HasDiverged { get; internal set; }
}
