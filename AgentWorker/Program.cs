using AgentAspire.AgentFramework.Research;
using AgentAspire.Agents;
using AgentAspire.AgentWorker;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddValkeyClient("valkey");

builder.Services.AddAgentState(builder.Configuration);
builder.Services.AddAgents();
builder.Services.AddAgentChatClient(builder.Configuration);
builder.Services.AddWorkflowAgent<ResearchWorkflowAgent>(builder.Configuration);

builder.Services.Configure<WorkerOptions>(builder.Configuration.GetSection("Worker"));
builder.Services.AddSingleton<StepPipeline>();
builder.Services.AddSingleton<WorkflowRuns>();
builder.Services.AddSingleton<RunExecutor>();
builder.Services.AddHostedService<RunWorker>();

builder.Build().Run();
