using AgentAspire.AgentFramework.Research;
using AgentAspire.Agents;
using AgentAspire.AgentWorker;
using Microsoft.Extensions.Options;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddValkeyClient("valkey");

builder.Services.AddAgentState(builder.Configuration);
builder.Services.AddAppAgents();
builder.Services.AddAgentChatClient(builder.Configuration);
builder.Services.AddWorkflowAgent<ResearchWorkflowAgent>(builder.Configuration);

builder.Services.AddSingleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidation>();
builder.Services.AddOptions<WorkerOptions>().Bind(builder.Configuration.GetSection(WorkerOptions.Section)).ValidateOnStart();
builder.Services.AddSingleton<StepPipeline>();
builder.Services.AddSingleton<WorkflowRuns>();
builder.Services.AddSingleton<RunExecutor>();
builder.Services.AddHostedService<RunWorker>();
builder.Services.AddHostedService<Housekeeping>();

builder.Build().Run();
