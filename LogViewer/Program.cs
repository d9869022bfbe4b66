using AgentAspire.LogViewer.Api;
using AgentAspire.LogViewer.Components;
using AgentAspire.LogViewer.Runs;
using AgentAspire.LogViewer.SignIn;
using Microsoft.AspNetCore.Components.Server.Circuits;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

// Every page needs a sign-in with the access key; without one configured the viewer does not start
builder.AddViewerSignIn();

// Reads go straight to Valkey through AgentState; changes go through the api, with its key, from the server only
builder.AddValkeyClient("valkey");
builder.Services.AddAgentState(builder.Configuration);
builder.Services.AddHttpClient<AgentApiClient>(client =>
{
    client.BaseAddress = new Uri("https+http://api");
    if (builder.Configuration["AgentApi:ApiKey"] is { Length: > 0 } apiKey)
    {
        client.DefaultRequestHeaders.Add(AgentApiClient.ApiKeyHeader, apiKey);
    }
});
builder.Services.AddSingleton<DashboardLinks>();

// One live feed per run for the whole process, shared by every page that watches the run; a circuit whose
// connection drops leaves its feeds at once and rejoins them if it comes back
builder.Services.AddSingleton<RunLogFeeds>();
builder.Services.AddScoped<CircuitLogWatches>();
builder.Services.AddScoped<CircuitHandler, LiveCircuitHandler>();

builder.Services.AddRazorComponents().AddInteractiveServerComponents();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
// The sign-in page is styled by the same stylesheet, so the static files need no sign-in.
app.MapStaticAssets().AllowAnonymous();
app.MapViewerSignIn();
app.MapLiveFeedDiagnostics();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapDefaultEndpoints();

app.Run();
