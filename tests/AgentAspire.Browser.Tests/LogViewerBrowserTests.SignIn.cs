using Microsoft.Playwright;

namespace AgentAspire.Browser.Tests;

// Sign-in: every page needs the access key; the keys never reach the browser.
public sealed partial class LogViewerBrowserTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/live")]
    [InlineData("/start")]
    [InlineData("/runs/no_such_run_0001")]
    public async Task A_page_opened_without_signing_in_shows_the_sign_in_page(string path)
    {
        await using var context = await viewer.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(viewer.ViewerUrl, path).ToString());

        Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);
        Assert.Equal("Sign in", await page.InnerTextAsync("h1"));
        Assert.Equal(0, await page.Locator("table, .run-table, nav").CountAsync());
    }

    [Fact]
    public async Task Signing_in_with_the_access_key_opens_the_page_asked_for_with_no_key_in_the_browser_and_nothing_missing()
    {
        await using var context = await viewer.NewContextAsync();
        var page = await context.NewPageAsync();
        var responses = new List<(string Url, int Status)>();
        page.Response += (_, response) => responses.Add((response.Url, response.Status));

        await viewer.SignInAsync(page, "/start");
        // The address is enough here (not the load event, slow on a busy machine): the circuit wait below is the readiness.
        try
        {
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/start", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        }
        catch (TimeoutException ex)
        {
            // Say where the sign-in left the browser: the sign-in page with its error, or a page that never loaded.
            throw new TimeoutException($"The sign-in did not reach /start; the page is {page.Url}, answered {string.Join(", ", responses.Select(r => $"{r.Status} {r.Url}"))}, showing: {await page.InnerTextAsync("body")}", ex);
        }

        await page.WaitForSelectorAsync(".circuit[data-interactive='true']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        var html = await page.ContentAsync();
        var icon = await context.APIRequest.GetAsync(new Uri(viewer.ViewerUrl, await page.GetAttributeAsync("link[rel=icon]", "href")).ToString());
        var cookies = await context.CookiesAsync();

        Assert.DoesNotContain(viewer.ApiKey, html);
        Assert.DoesNotContain(viewer.AccessKey, html);
        Assert.DoesNotContain(responses, response => response.Url.Contains(viewer.ApiKey, StringComparison.Ordinal));
        // The favicon included: nothing the pages ask for is missing.
        Assert.DoesNotContain(responses, response => response.Status == 404);
        Assert.Equal(200, icon.Status);
        var cookie = Assert.Single(cookies, c => c.Name == "agentaspire-viewer");
        Assert.True(cookie.HttpOnly);
        Assert.DoesNotContain(viewer.AccessKey, cookie.Value);
    }

    [Fact]
    public async Task A_wrong_access_key_keeps_the_sign_in_page_with_an_error()
    {
        await using var context = await viewer.NewContextAsync();
        var page = await context.NewPageAsync();

        await viewer.SignInAsync(page, "/", key: "not-the-key");
        await page.WaitForSelectorAsync("[role=alert]");

        Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);
        Assert.Contains("not the access key", await page.InnerTextAsync("[role=alert]"));
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "agentaspire-viewer");
    }

    [Fact]
    public async Task The_sign_in_link_the_AppHost_prints_signs_in_at_once()
    {
        await using var context = await viewer.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(viewer.ViewerUrl, $"/signin?key={Uri.EscapeDataString(viewer.AccessKey)}").ToString());
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");

        Assert.Equal("Runs", await page.InnerTextAsync("h1"));
        Assert.DoesNotContain(viewer.AccessKey, page.Url);
    }
}
