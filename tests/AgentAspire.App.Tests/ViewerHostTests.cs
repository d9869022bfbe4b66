using System.Net;

namespace AgentAspire.App.Tests;

/// <summary>The viewer, like the api, answers only requests addressed to it by a name the AppHost allowed.</summary>
[Collection(AppCollection.Name)]
public sealed class ViewerHostTests(AppFixture fixture)
{
    [Fact(Timeout = 180_000)]
    public async Task The_viewer_refuses_a_request_for_another_host_name_and_answers_its_own()
    {
        // Arrange
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("logviewer", TestContext.Current.CancellationToken);
        using var viewer = fixture.App.CreateHttpClient("logviewer", "http");

        // Act: a page of another origin that rebinds its DNS name to this machine still sends its own name as Host
        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/signin");
        foreign.Headers.Host = "attacker.example";
        using var refused = await viewer.SendAsync(foreign, TestContext.Current.CancellationToken);
        using var answered = await viewer.GetAsync("/signin", TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }
}
