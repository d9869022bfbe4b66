var builder = DistributedApplication.CreateBuilder(args);

builder.AddProject<Projects.AgentAspire_AgentApi>("api");
builder.AddProject<Projects.AgentAspire_AgentWorker>("worker");
builder.AddProject<Projects.AgentAspire_LogViewer>("logviewer");

builder.Build().Run();
