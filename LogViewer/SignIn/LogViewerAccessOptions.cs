namespace AgentAspire.LogViewer.SignIn;

/// <summary>Who may open the viewer (configuration section <c>LogViewer</c>).</summary>
public sealed class LogViewerAccessOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "LogViewer";

    /// <summary>The key a person types on the sign-in page (or follows in the AppHost's link); the AppHost's secret parameter <c>logviewer-access-key</c>.</summary>
    public string? AccessKey { get; set; }

    /// <summary>
    /// The key being retired during a rotation: accepted at sign-in beside <see cref="AccessKey"/> until it is removed
    /// (SECURITY.md). The AppHost passes its parameter <c>logviewer-access-key-previous</c> when set.
    /// </summary>
    public string? PreviousAccessKey { get; set; }

    /// <summary>Open every page without signing in. Only on purpose: without a key and without this, the viewer refuses to start.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>How long a sign-in lasts without a visit. Default 12 hours.</summary>
    public TimeSpan SignInLifetime { get; set; } = TimeSpan.FromHours(12);
}
