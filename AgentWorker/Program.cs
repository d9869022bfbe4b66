using AgentAspire.Agents;
using AgentAspire.AppAgents;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddValkeyClient("valkey");

builder.Services.AddAgentState(builder.Configuration);
builder.Services.AddAppAgents();
builder.Services.AddAgentChatClient(builder.Configuration);

builder.Services.AddAgentWorker(builder.Configuration);

builder.Build().Run();
