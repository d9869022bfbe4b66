using AgentAspire.AgentApi.Agents;
using AgentAspire.AgentApi.Problems;
using AgentAspire.AgentApi.Runs;
using AgentAspire.AgentFramework.Research;
using AgentAspire.Agents;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddValkeyClient("valkey");

builder.Services.AddAgentState(builder.Configuration);
// The catalog and input validation only: steps run in the worker, never here.
builder.Services.AddAgents();
builder.Services.AddWorkflowAgent<ResearchWorkflowAgent>(builder.Configuration);

builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = FrameworkProblems.Describe);
// Binding failures (malformed JSON, wrong content type, unparsable query values) become exceptions the handler
// turns into a 4xx ProblemDetails that says what is wrong, in every environment.
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
builder.Services.AddOpenApi();

var app = builder.Build();

app.UseExceptionHandler();
// Empty 4xx answers of the framework (unknown route, wrong method) get a ProblemDetails body too.
app.UseStatusCodePages();

app.MapOpenApi();
app.MapRunsApi();
app.MapAgentsApi();
app.MapDefaultEndpoints();

app.Run();
