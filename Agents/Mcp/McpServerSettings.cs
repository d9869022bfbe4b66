using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace AgentAspire.Agents.Mcp;

/// <summary>
/// One MCP server the worker takes tools from, from the configuration section <c>Mcp:Servers:NAME</c>: a command
/// started with its arguments (stdio) or an HTTP endpoint (streamable HTTP), never both.
/// </summary>
/// <param name="Name">The server's name in the configuration: 1 to 32 characters of a-z, 0-9, '_' or '-'.</param>
/// <param name="Command">The program to start for a stdio server.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="Endpoint">The URL of an HTTP server.</param>
/// <param name="Headers">Headers sent with every HTTP request (an API key, from secrets).</param>
/// <param name="CacheTtl">How long the results of its tools stay in the tool cache; zero caches none of them.</param>
/// <param name="NoCache">Tools with side effects, never cached: every call runs (the run's journal still keeps it).</param>
/// <param name="Timeout">The longest a connection or a tool call may take before the server counts as down.</param>
public sealed partial record McpServerSettings(
    string Name,
    string? Command,
    IReadOnlyList<string> Arguments,
    Uri? Endpoint,
    IReadOnlyDictionary<string, string> Headers,
    TimeSpan CacheTtl,
    IReadOnlySet<string> NoCache,
    TimeSpan Timeout)
{
    /// <summary>The configuration section holding one subsection per server.</summary>
    public const string SectionName = "Mcp:Servers";

    /// <summary>How long a server's results are cached when it sets no <c>CacheTtl</c>.</summary>
    public static readonly TimeSpan DefaultCacheTtl = TimeSpan.FromMinutes(5);

    /// <summary>How long a connection or call may take when the server sets no <c>Timeout</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Whether the worker starts the server as a process and speaks over its standard streams.</summary>
    public bool IsStdio => Command is not null;

    /// <summary>The TTL of one of the server's tools: zero for a tool listed in <see cref="NoCache"/>.</summary>
    /// <param name="tool">The tool's name as the server lists it.</param>
    /// <returns>How long its results stay cached.</returns>
    public TimeSpan TtlOf(string tool) => NoCache.Contains(tool) ? TimeSpan.Zero : CacheTtl;

    /// <summary>Reads every server under <see cref="SectionName"/>.</summary>
    /// <param name="configuration">The app's configuration.</param>
    /// <returns>The servers, by name; empty when none is configured.</returns>
    /// <exception cref="InvalidOperationException">A server is misconfigured; the message names every problem.</exception>
    public static IReadOnlyDictionary<string, McpServerSettings> Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var servers = new Dictionary<string, McpServerSettings>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var section in configuration.GetSection(SectionName).GetChildren())
        {
            if (Read(section, problems) is { } server)
            {
                servers.Add(server.Name, server);
            }
        }

        return problems.Count == 0
            ? servers
            : throw new InvalidOperationException($"The MCP server configuration is not valid: {string.Join(" ", problems)}");
    }

    private static McpServerSettings? Read(IConfigurationSection section, List<string> problems)
    {
        var name = section.Key;
        var where = $"{SectionName}:{name}";
        var before = problems.Count;
        if (!NamePattern().IsMatch(name))
        {
            problems.Add($"'{where}': a server's name is 1 to 32 characters of a-z, 0-9, '_' or '-'.");
        }

        var command = NullIfBlank(section["Command"]);
        var endpointText = NullIfBlank(section["Endpoint"]);
        Uri? endpoint = null;
        if (command is null == endpointText is null)
        {
            problems.Add($"'{where}' needs either 'Command' (a stdio server) or 'Endpoint' (an HTTP server), not {(command is null ? "neither" : "both")}.");
        }
        else if (endpointText is not null
            && (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            problems.Add($"'{where}:Endpoint' must be an absolute http or https URL, got '{endpointText}'.");
        }

        var arguments = ReadList(section.GetSection("Arguments"));
        if (arguments.Count > 0 && command is null)
        {
            problems.Add($"'{where}:Arguments' needs a 'Command'.");
        }

        var headers = section.GetSection("Headers").GetChildren().ToDictionary(header => header.Key, header => header.Value ?? "", StringComparer.OrdinalIgnoreCase);
        if (headers.Count > 0 && endpointText is null)
        {
            problems.Add($"'{where}:Headers' are for an HTTP server ('Endpoint').");
        }

        var cacheTtl = ReadDuration(section, "CacheTtl", where, DefaultCacheTtl, allowZero: true, problems);
        var timeout = ReadDuration(section, "Timeout", where, DefaultTimeout, allowZero: false, problems);
        var noCache = ReadList(section.GetSection("NoCache")).ToHashSet(StringComparer.Ordinal);
        return problems.Count > before
            ? null
            : new McpServerSettings(name, command, arguments, endpoint, headers, cacheTtl, noCache, timeout);
    }

    // A list is an array (Arguments:0, Arguments:1, …) or one value.
    private static List<string> ReadList(IConfigurationSection section) =>
        section.Value is { } single ? [single] : [.. section.GetChildren().Select(child => child.Value ?? "")];

    private static TimeSpan ReadDuration(IConfigurationSection section, string key, string where, TimeSpan fallback, bool allowZero, List<string> problems)
    {
        var text = NullIfBlank(section[key]);
        if (text is null)
        {
            return fallback;
        }

        if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) || value < TimeSpan.Zero || (value == TimeSpan.Zero && !allowZero))
        {
            problems.Add($"'{where}:{key}' must be a {(allowZero ? "non-negative" : "positive")} duration such as 00:05:00, got '{text}'.");
        }

        return value;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"^[a-z0-9_-]{1,32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
