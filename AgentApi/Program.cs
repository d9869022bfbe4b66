using System.Text.Json.Serialization;
using AgentAspire.AgentApi;
using AgentAspire.AgentApi.Agents;
using AgentAspire.AgentApi.Mcp;
using AgentAspire.AgentApi.Problems;
using AgentAspire.AgentApi.Replays;
using AgentAspire.AgentApi.Runs;
using AgentAspire.AgentApi.Security;
using AgentAspire.AppAgents;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddValkeyClient("valkey");

builder.Services.AddAgentState(builder.Configuration);
// The app's agents, for the catalog and input validation only: they run in the worker, never here.
builder.Services.AddAppAgents();

// Every endpoint but health and the OpenAPI document needs the API key; without one configured the service does not start.
builder.Services.AddOptions<AgentApiOptions>().Bind(builder.Configuration.GetSection(AgentApiOptions.SectionName))
    .Validate(options => options.MaxRequestBodyBytes is > 0 and <= AgentApiOptions.MaxRequestBodyBytesCeiling,
        $"AgentApi:MaxRequestBodyBytes must be between 1 and {AgentApiOptions.MaxRequestBodyBytesCeiling}.")
    .Validate(options => options.EventsHeartbeat > TimeSpan.Zero, "AgentApi:EventsHeartbeat must be positive.")
    .ValidateOnStart();
builder.AddApiKeyAuthentication();

// Strict JSON: a repeated property or a number sent as a string is an error, not a guess.
builder.Services.ConfigureHttpJsonOptions(options =>
{
    options.SerializerOptions.AllowDuplicateProperties = false;
    options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
});

builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = FrameworkProblems.Describe);
builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
// Binding failures (malformed JSON, wrong content type, unparsable query values) become exceptions the handler
// turns into a 4xx ProblemDetails that says what is wrong, in every environment.
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
builder.Services.AddExceptionHandler<ValkeyUnavailableHandler>();
builder.Services.AddRunsMcpServer();
builder.Services.AddOpenApi(options => options.AddDocumentTransformer<ApiKeySecurityScheme>());

var app = builder.Build();
app.LogAnonymousAccess();

app.UseExceptionHandler();
// Empty 4xx answers of the framework (unknown route, wrong method) get a ProblemDetails body too.
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseMiddleware<RequestBodyRules>();

app.MapOpenApi();
var secured = app.MapGroup("").RequireAuthorization();
secured.MapRunsApi();
secured.MapReplaysApi();
secured.MapAgentsApi();
secured.MapRunsMcp();
app.MapDefaultEndpoints();

app.Run();
