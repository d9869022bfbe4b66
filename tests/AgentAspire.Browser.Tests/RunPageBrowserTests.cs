using AgentAspire.AgentState;

namespace AgentAspire.Browser.Tests;

/// <summary>The run page following changes made elsewhere while it is open.</summary>
public sealed partial class LogViewerBrowserTests
{
    [Fact]
    public async Task Run_page_shows_a_cancel_made_through_the_api_without_a_reload()
    {
        var runId = await viewer.StartRunAsync(new { question = "Does the page hear a cancel from elsewhere?", stepDelayMs = 3000 });
        var page = await viewer.OpenAsync($"/runs/{runId}");
        try
        {
            var badge = page.Locator("h1 .badge");
            await Expect(badge).ToHaveAttributeAsync("data-status", RunStatus.InProgress);
            // A mark on this document: a reload or a full navigation would drop it.
            await page.EvaluateAsync("() => { window.__sameDocument = true; }");

            using var response = await viewer.Api.PostAsync($"/runs/{runId}/cancel", null, TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);

            await Expect(badge).ToHaveAttributeAsync("data-status", RunStatus.Cancelled);
            await Expect(badge).ToHaveTextAsync("cancelled");
            Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"));
        }
        finally
        {
            await page.CloseAsync();
            await viewer.Store.DeleteAsync(runId);
        }
    }
}
