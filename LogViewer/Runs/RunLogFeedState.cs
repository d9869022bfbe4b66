namespace AgentAspire.LogViewer.Runs;

/// <summary>One run's live feed as the diagnostic shows it.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Watchers">Pages (of connected circuits) that watch it now.</param>
/// <param name="Subscriptions">Wake-up subscriptions the feed holds: 1 while it runs, 0 once stopped.</param>
/// <param name="Reads">Log reads the feed has made since the viewer started.</param>
public sealed record RunLogFeedState(string RunId, int Watchers, int Subscriptions, long Reads);
