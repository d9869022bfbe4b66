namespace AgentAspire.LogViewer.Components.Runs;

/// <summary>How a person asked to replay a run: the mode and, for <c>live-after</c>, the last step answered from the record.</summary>
public sealed record ReplayChoice(string Mode, int? AfterStep);
