using AgentAspire.LogViewer.Api;
using AgentAspire.LogViewer.Components;
using AgentAspire.LogViewer.Runs;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

// Reads go straight to Valkey through AgentState; changes go through the api
builder.AddValkeyClient("valkey");
builder.Services.AddAgentState(builder.Configuration);
builder.Services.AddHttpClient<AgentApiClient>(client => client.BaseAddress = new Uri("https+http://api"));
builder.Services.AddSingleton<DashboardLinks>();

builder.Services.AddRazorComponents().AddInteractiveServerComponents();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapDefaultEndpoints();

app.Run();
