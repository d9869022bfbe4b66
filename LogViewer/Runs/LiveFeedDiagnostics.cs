namespace AgentAspire.LogViewer.Runs;

/// <summary>
/// <c>GET /diagnostics/live-feeds</c>, behind the sign-in like every page: the runs this process follows live, each
/// with its watching pages, its subscriptions (one per run, however many pages) and its reads so far; a run whose
/// feed stopped is listed with no watcher and no subscription and keeps its read count.
/// </summary>
public static class LiveFeedDiagnostics
{
    /// <summary>The path of the diagnostic.</summary>
    public const string Path = "/diagnostics/live-feeds";

    /// <summary>Maps the diagnostic.</summary>
    public static WebApplication MapLiveFeedDiagnostics(this WebApplication app)
    {
        app.MapGet(Path, (RunLogFeeds feeds) => TypedResults.Ok(feeds.States()));
        return app;
    }
}
