using AgentAspire.AppHost.Valkey;
using Microsoft.Extensions.Configuration;

var builder = DistributedApplication.CreateBuilder(args);

// State: a Valkey container where a container runtime answers, else a local valkey-server process
var valkey = builder.AddValkey("valkey");

// Services
var api = builder.AddProject<Projects.AgentAspire_AgentApi>("api")
    .WithReference(valkey).WaitFor(valkey)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReadyAddressPrinted("HTTP API; OpenAPI at /openapi/v1.json");

var worker = builder.AddProject<Projects.AgentAspire_AgentWorker>("worker")
    .WithReference(valkey).WaitFor(valkey)
    .WithReplicas(builder.Configuration.GetValue("Worker:Replicas", 1));

// Model: only when configured; without it the worker answers with its offline client
if (builder.Configuration.GetConnectionString("llm") is not null)
{
    worker.WithReference(builder.AddConnectionString("llm"));
}

//#if (IncludeLogViewer)
// Apps: the viewer reads runs from Valkey and drives them through the api
var logviewer = builder.AddProject<Projects.AgentAspire_LogViewer>("logviewer")
    .WithReference(valkey).WaitFor(valkey)
    .WithReference(api).WaitFor(api)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReadyAddressPrinted("LogViewer: watch runs live");

// The viewer links each run to its trace when the dashboard runs with the AppHost; a local address never reaches a deployment
if (builder.ExecutionContext.IsRunMode && builder.Configuration["ASPNETCORE_URLS"]?.Split(';')[0] is { Length: > 0 } dashboard)
{
    logviewer.WithEnvironment("Dashboard__Url", dashboard);
}
//#endif

builder.Build().Run();
