using AgentAspire.Agents.Mcp;
using Microsoft.Extensions.Configuration;

namespace AgentAspire.Agents.Tests;

/// <summary>The MCP server settings are read whole or refused at start with every problem named.</summary>
public sealed class McpServerSettingsTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(setting => KeyValuePair.Create(setting.Key, (string?)setting.Value))).Build();

    [Fact]
    public void A_stdio_and_an_http_server_are_read_with_their_arguments_headers_ttl_and_uncached_tools()
    {
        var servers = McpServerSettings.Read(Configuration(
            ("Mcp:Servers:local:Command", "dotnet"),
            ("Mcp:Servers:local:Arguments:0", "server.dll"),
            ("Mcp:Servers:local:Arguments:1", "--stdio"),
            ("Mcp:Servers:remote:Endpoint", "https://tools.example.com/mcp"),
            ("Mcp:Servers:remote:Headers:Authorization", "Bearer secret"),
            ("Mcp:Servers:remote:CacheTtl", "00:01:00"),
            ("Mcp:Servers:remote:NoCache:0", "send_mail"),
            ("Mcp:Servers:remote:Timeout", "00:00:05")));

        var local = servers["local"];
        Assert.True(local.IsStdio);
        Assert.Equal(["server.dll", "--stdio"], local.Arguments);
        Assert.Equal(McpServerSettings.DefaultCacheTtl, local.TtlOf("anything"));
        var remote = servers["remote"];
        Assert.False(remote.IsStdio);
        Assert.Equal(new Uri("https://tools.example.com/mcp"), remote.Endpoint);
        Assert.Equal("Bearer secret", remote.Headers["authorization"]);
        Assert.Equal(TimeSpan.FromMinutes(1), remote.TtlOf("search"));
        Assert.Equal(TimeSpan.Zero, remote.TtlOf("send_mail"));
        Assert.Equal(TimeSpan.FromSeconds(5), remote.Timeout);
    }

    [Fact]
    public void No_section_is_no_server()
    {
        Assert.Empty(McpServerSettings.Read(Configuration()));
    }

    [Fact]
    public void Every_problem_of_every_server_is_named_at_once()
    {
        var error = Assert.Throws<InvalidOperationException>(() => McpServerSettings.Read(Configuration(
            ("Mcp:Servers:Bad.Name:Endpoint", "http://localhost/mcp"),
            ("Mcp:Servers:neither:CacheTtl", "00:01:00"),
            ("Mcp:Servers:both:Command", "server"),
            ("Mcp:Servers:both:Endpoint", "http://localhost/mcp"),
            ("Mcp:Servers:ftp:Endpoint", "ftp://localhost/mcp"),
            ("Mcp:Servers:ttl:Endpoint", "http://localhost/mcp"),
            ("Mcp:Servers:ttl:CacheTtl", "soon"),
            ("Mcp:Servers:ttl:Timeout", "00:00:00"),
            ("Mcp:Servers:stdio:Command", "server"),
            ("Mcp:Servers:stdio:Headers:X-Key", "k"),
            ("Mcp:Servers:args:Endpoint", "http://localhost/mcp"),
            ("Mcp:Servers:args:Arguments:0", "--stdio"))));

        Assert.Contains("'Mcp:Servers:Bad.Name': a server's name is 1 to 32 characters", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Mcp:Servers:neither' needs either 'Command' (a stdio server) or 'Endpoint' (an HTTP server), not neither.", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Mcp:Servers:both' needs either 'Command' (a stdio server) or 'Endpoint' (an HTTP server), not both.", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Mcp:Servers:ftp:Endpoint' must be an absolute http or https URL, got 'ftp://localhost/mcp'.", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Mcp:Servers:ttl:CacheTtl' must be a non-negative duration such as 00:05:00, got 'soon'.", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Mcp:Servers:ttl:Timeout' must be a positive duration such as 00:05:00, got '00:00:00'.", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Mcp:Servers:stdio:Headers' are for an HTTP server ('Endpoint').", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Mcp:Servers:args:Arguments' needs a 'Command'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_asking_for_a_server_not_configured_is_told_which_are()
    {
        await using var sources = new McpToolSources(Configuration(("Mcp:Servers:docs:Endpoint", "http://localhost/mcp")));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => sources.GetToolsAsync("research", TestContext.Current.CancellationToken));

        Assert.Equal("No MCP server named 'research' is configured; set 'Mcp:Servers:research:Endpoint' or ':Command'. Configured: docs.", error.Message);
    }

    [Theory]
    [InlineData("research", "web_search", "mcp.research.web_search")]
    [InlineData("research", "getUser", "mcp.research.getuser.")]
    [InlineData("research", "a tool with spaces and a very long name indeed", "mcp.research.a-tool-with-spaces-and-a-very-long")]
    public void Results_are_cached_under_the_server_and_tool_in_a_name_the_cache_accepts(string server, string tool, string expected)
    {
        var name = McpTool.CacheNameOf(server, tool);

        Assert.StartsWith(expected, name, StringComparison.Ordinal);
        Assert.Matches("^[a-z0-9_.-]{1,64}$", name);
        Assert.NotEqual(McpTool.CacheNameOf(server, tool.ToUpperInvariant() + "x"), name);
    }
}
