//#if (IncludeLogViewer)
using Microsoft.Playwright;

namespace AgentAspire.App.Tests;

/// <summary>Debian's headless Chromium, signed in to the app's viewer, for the app tests that need a page open.</summary>
internal sealed class HeadlessViewer : IAsyncDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium";

    // Flags for Debian's Chromium in a container without a display, GPU or network.
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly IBrowserContext _context;
    private readonly Uri _viewer;

    private HeadlessViewer(IPlaywright playwright, IBrowser browser, IBrowserContext context, Uri viewer)
    {
        _playwright = playwright;
        _browser = browser;
        _context = context;
        _viewer = viewer;
    }

    /// <summary>Launches Chromium and signs in to the viewer with the AppHost's access key, through its sign-in link.</summary>
    public static async Task<HeadlessViewer> SignInAsync(RunningApp app)
    {
        Assert.True(File.Exists(ChromiumPath), $"No Chromium at {ChromiumPath}: run eng/setup.sh.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await app.App.ResourceNotifications.WaitForResourceHealthyAsync("logviewer", timeout.Token);
        var viewer = app.App.GetEndpoint("logviewer", "http");
        var accessKey = await app.ParameterValueAsync("logviewer-access-key");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
        var context = await browser.NewContextAsync();
        var signIn = await context.NewPageAsync();
        await signIn.GotoAsync(new Uri(viewer, $"/signin?key={Uri.EscapeDataString(accessKey)}").ToString());
        await signIn.CloseAsync();
        return new HeadlessViewer(playwright, browser, context, viewer);
    }

    /// <summary>Opens <paramref name="path"/> of the viewer and waits until its Blazor circuit is connected.</summary>
    public async Task<IPage> OpenAsync(string path)
    {
        var page = await _context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(new Uri(_viewer, path).ToString());
        await page.WaitForSelectorAsync(".circuit[data-interactive='true']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
//#endif
