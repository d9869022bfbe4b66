using AgentAspire.AgentFramework.Research;
using AgentAspire.Agents;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddValkeyClient("valkey");

builder.Services.AddAgentState(builder.Configuration);
builder.Services.AddAppAgents();
builder.Services.AddAgentChatClient(builder.Configuration);
builder.Services.AddWorkflowAgent<ResearchWorkflowAgent>(builder.Configuration);

builder.Services.AddAgentWorker(builder.Configuration);

builder.Build().Run();
