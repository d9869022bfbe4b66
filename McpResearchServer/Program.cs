using AgentAspire.McpResearchServer;

// With --stdio the server speaks over its standard streams (a client starts it as a process); its logs go to
// standard error, which the protocol leaves free.
if (args.Contains("--stdio", StringComparer.Ordinal))
{
    var stdio = Host.CreateApplicationBuilder(args);
    stdio.Logging.ClearProviders();
    stdio.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
    stdio.Services.AddResearchMcpServer().WithStdioServerTransport();
    await stdio.Build().RunAsync();
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
// Stateless: any replica answers any request, and a restart loses no session.
builder.Services.AddResearchMcpServer().WithHttpTransport(options => options.Stateless = true);

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapMcp("/mcp");
app.Run();
