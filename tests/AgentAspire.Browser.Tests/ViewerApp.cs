using System.Net.Http.Json;
using System.Text.Json;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using StackExchange.Redis;

namespace AgentAspire.Browser.Tests;

/// <summary>
/// The whole AppHost (Valkey as a local process, api, worker, logviewer) and a headless Chromium, started once for
/// the browser tests. AgentState is connected to the same Valkey so a test can read runs and append log entries.
/// </summary>
public sealed class ViewerApp : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    // How long a page may take to load, navigate or show something: the suite runs the template builds and the app
    // tests beside this tier, and on two cores a sign-in's redirect has taken over 30 s to commit then.
    private const float PageTimeoutMs = 90_000;

    // Flags for Debian's Chromium in a container without a display, GPU or network.
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    // A fresh Valkey data folder: runs of earlier test sessions never show up on the pages.
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("agentaspire-browser-test-").FullName;
    private DistributedApplication? _app;
    private ConnectionMultiplexer? _connection;
    private ServiceProvider? _services;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>A browser context signed in through the sign-in page once; <see cref="OpenAsync"/> opens its pages there.</summary>
    public IBrowserContext SignedIn { get; private set; } = default!;

    /// <summary>The value of the AppHost's secret parameter <c>logviewer-access-key</c>.</summary>
    public string AccessKey { get; private set; } = "";

    /// <summary>The value of the AppHost's secret parameter <c>api-key</c>.</summary>
    public string ApiKey { get; private set; } = "";

    public Uri ViewerUrl { get; private set; } = default!;

    public HttpClient Api { get; private set; } = default!;

    /// <summary>The connection string of the app's Valkey, for a process started outside the AppHost.</summary>
    public string ValkeyConnectionString { get; private set; } = "";

    public RunStore Store => _services!.GetRequiredService<RunStore>();

    public ActivityLog Log => _services!.GetRequiredService<ActivityLog>();

    public async ValueTask InitializeAsync()
    {
        // The set-up script installs Chromium; a test never downloads a browser, and never skips for want of one.
        Assert.True(File.Exists(ChromiumPath), $"No Chromium at {ChromiumPath}: run eng/setup.sh.");

        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AgentAspire_AppHost>(
            ["--Valkey:Mode=local", $"--Valkey:DataDirectory={_dataDirectory}"], timeout.Token);
        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
        await Task.WhenAll(
            _app.ResourceNotifications.WaitForResourceHealthyAsync("api", timeout.Token),
            _app.ResourceNotifications.WaitForResourceHealthyAsync("logviewer", timeout.Token));

        ValkeyConnectionString = (await _app.GetConnectionStringAsync("valkey", timeout.Token))!;
        _connection = await ConnectionMultiplexer.ConnectAsync(ValkeyConnectionString);
        _services = new ServiceCollection()
            .AddSingleton<IConnectionMultiplexer>(_connection)
            .AddLogging()
            .AddAgentState()
            .BuildServiceProvider();
        ViewerUrl = _app.GetEndpoint("logviewer", "http");
        ApiKey = await ParameterValueAsync("api-key", timeout.Token);
        AccessKey = await ParameterValueAsync("logviewer-access-key", timeout.Token);
        Api = _app.CreateHttpClient("api", "http");
        Api.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        SignedIn = await NewContextAsync();
        var signIn = await SignedIn.NewPageAsync();
        await SignInAsync(signIn, "/");
        await signIn.CloseAsync();
    }

    /// <summary>A fresh browser context: no cookie, so not signed in.</summary>
    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });

    /// <summary>Opens <paramref name="path"/>, is sent to the sign-in page, types the access key and signs in.</summary>
    public async Task SignInAsync(IPage page, string path, string? key = null)
    {
        page.SetDefaultTimeout(PageTimeoutMs);
        await page.GotoAsync(new Uri(ViewerUrl, path).ToString());
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/signin");
        await page.FillAsync("input[name=key]", key ?? AccessKey);
        await page.ClickAsync("button[type=submit]");
    }

    private async Task<string> ParameterValueAsync(string name, CancellationToken cancellationToken) =>
        (await _app!.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ParameterResource>().Single(parameter => parameter.Name == name)
            .GetValueAsync(cancellationToken))!;

    /// <summary>A new page at <paramref name="path"/> of the viewer, once its Blazor circuit is connected (earlier clicks are lost).</summary>
    public async Task<IPage> OpenAsync(string path)
    {
        var page = await SignedIn.NewPageAsync();
        page.SetDefaultTimeout(PageTimeoutMs);
        await page.GotoAsync(new Uri(ViewerUrl, path).ToString());
        await page.WaitForSelectorAsync(".circuit[data-interactive='true']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        return page;
    }

    /// <summary>Starts a run of <paramref name="agent"/> through the api and returns its id.</summary>
    public async Task<string> StartRunAsync(object input, string agent = "research")
    {
        using var response = await Api.PostAsJsonAsync("/runs", new { agent, input }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return body.RootElement.GetProperty("runId").GetString()!;
    }

    /// <summary>Polls the run's checkpoint until <paramref name="condition"/> holds.</summary>
    public Task WaitForRunAsync(string runId, Func<AgentState.Checkpoints.RunCheckpoint, bool> condition, TimeSpan timeout, string what) =>
        Poll.UntilAsync(async () => await Store.GetAsync(runId) is { } run && condition(run), timeout, $"run {runId}, until it {what}");

    public async ValueTask DisposeAsync()
    {
        if (SignedIn is not null)
        {
            await SignedIn.DisposeAsync();
        }

        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Api?.Dispose();
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The server may still be closing its files; the folder is in the temp directory.
        }
    }
}
