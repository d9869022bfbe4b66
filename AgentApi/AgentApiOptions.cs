namespace AgentAspire.AgentApi;

/// <summary>Security and limits of the API (configuration section <c>AgentApi</c>).</summary>
public sealed class AgentApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "AgentApi";

    /// <summary>The key every client sends in <c>X-Api-Key</c>; the AppHost passes its secret parameter <c>api-key</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The key being retired during a rotation: accepted beside <see cref="ApiKey"/> until it is removed, so clients
    /// move to the new key without a moment refused (SECURITY.md). The AppHost passes its parameter <c>api-key-previous</c> when set.
    /// </summary>
    public string? PreviousApiKey { get; set; }

    /// <summary>Serve without a key. Only on purpose: without a key and without this, the service refuses to start.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>The largest value <see cref="MaxRequestBodyBytes"/> may take: 1 GiB.</summary>
    public const long MaxRequestBodyBytesCeiling = 1L << 30;

    /// <summary>
    /// The largest request body accepted, in bytes; a larger one is answered 413. A client still sending a body up to
    /// twice this long reads that answer; a longer one is cut off. Default 256 KB.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How often an idle <c>/runs/{id}/events</c> stream sends a comment, so proxies keep it open. Default 15 seconds.</summary>
    public TimeSpan EventsHeartbeat { get; set; } = TimeSpan.FromSeconds(15);
}
