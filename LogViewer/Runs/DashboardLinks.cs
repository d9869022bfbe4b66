namespace AgentAspire.LogViewer.Runs;

/// <summary>Links into the Aspire dashboard, when its address is known (<c>Dashboard:Url</c> or <c>ASPIRE_DASHBOARD_URL</c>).</summary>
public sealed class DashboardLinks(IConfiguration configuration)
{
    private readonly string? _baseUrl = (configuration["Dashboard:Url"] ?? configuration["ASPIRE_DASHBOARD_URL"])?.TrimEnd('/');

    /// <summary>The dashboard page of the trace a W3C <paramref name="traceParent"/> belongs to; <see langword="null"/> when unknown.</summary>
    public string? Trace(string? traceParent) =>
        _baseUrl is not null && TraceId(traceParent) is { } traceId ? $"{_baseUrl}/traces/detail/{traceId}" : null;

    /// <summary>The trace id of a W3C traceparent (<c>00-TRACEID-SPANID-FLAGS</c>); <see langword="null"/> when malformed.</summary>
    public static string? TraceId(string? traceParent)
    {
        var parts = traceParent?.Split('-');
        return parts is { Length: 4 } && parts[1].Length == 32 && parts[1].All(char.IsAsciiHexDigitLower) && parts[1].Any(c => c != '0')
            ? parts[1]
            : null;
    }
}
