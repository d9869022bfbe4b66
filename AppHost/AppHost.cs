using AgentAspire.AppHost.Valkey;
using Microsoft.Extensions.Configuration;

var builder = DistributedApplication.CreateBuilder(args);

// State: a Valkey container where a container runtime answers, else a local valkey-server process;
// Valkey:Topology=cluster runs a local Valkey Cluster instead
var valkey = builder.AddValkeyForTopology("valkey");

// Secrets: generated once and kept in the AppHost's user secrets; Parameters:api-key sets the key instead, and
// Parameters:api-key-previous keeps the old one working during a rotation (SECURITY.md)
var apiKey = builder.AddAccessKey("api-key");
var allowedHosts = builder.Configuration["AppHost:AllowedHosts"];

// Services
var api = builder.AddProject<Projects.AgentAspire_AgentApi>("api")
    .WithReference(valkey).WaitFor(valkey)
    .WithEnvironment("AgentApi__ApiKey", apiKey)
    .WithPreviousAccessKey(apiKey, "AgentApi__PreviousApiKey")
    .WithAllowedHostsOfEndpoints(allowedHosts)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReadyAddressPrinted("HTTP API, key in the X-Api-Key header; OpenAPI at /openapi/v1.json")
    .WithApiKeyCurlPrinted(apiKey);

var worker = builder.AddProject<Projects.AgentAspire_AgentWorker>("worker")
    .WithReference(valkey).WaitFor(valkey)
    .WithReplicas(builder.Configuration.GetValue("Worker:Replicas", 1));

// Tools: the demo MCP server with the research tools; the worker's research-mcp agent calls them over streamable
// HTTP (Mcp:Servers:research), cached and journaled like the worker's own tools, traced across the hop
var researchTools = builder.AddProject<Projects.AgentAspire_McpResearchServer>("research-tools")
    .WithHttpHealthCheck("/health");
worker.WithEnvironment("Mcp__Servers__research__Endpoint", ReferenceExpression.Create($"{researchTools.GetEndpoint("http")}/mcp"))
    .WaitFor(researchTools);

// Remote MCP servers: Parameters:mcp-NAME-endpoint (and the secret Parameters:mcp-NAME-authorization) hand the worker
// Mcp:Servers:NAME (docs/mcp.md)
worker.WithRemoteMcpServers();

// Model: only when configured; without it the worker answers with its offline client
if (builder.Configuration.GetConnectionString("llm") is not null)
{
    worker.WithReference(builder.AddConnectionString("llm"));
}

//#if (IncludeLogViewer)
// Apps: the viewer reads runs from Valkey and drives them through the api with the api's key, server-side;
// people sign in with their own key, printed as a link once the viewer is ready
var logviewerAccessKey = builder.AddAccessKey("logviewer-access-key");
var logviewer = builder.AddProject<Projects.AgentAspire_LogViewer>("logviewer")
    .WithReference(valkey).WaitFor(valkey)
    .WithReference(api).WaitFor(api)
    .WithEnvironment("AgentApi__ApiKey", apiKey)
    .WithEnvironment("LogViewer__AccessKey", logviewerAccessKey)
    .WithPreviousAccessKey(logviewerAccessKey, "LogViewer__PreviousAccessKey")
    .WithAllowedHostsOfEndpoints(allowedHosts)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReadyAddressPrinted("LogViewer: watch runs live")
    .WithSignInLinkPrinted(logviewerAccessKey, "/signin");

// The viewer links each run to its trace when the dashboard runs with the AppHost; a local address never reaches a deployment
if (builder.ExecutionContext.IsRunMode && builder.Configuration["ASPNETCORE_URLS"]?.Split(';')[0] is { Length: > 0 } dashboard)
{
    logviewer.WithEnvironment("Dashboard__Url", dashboard);
}
//#endif

builder.Build().Run();
