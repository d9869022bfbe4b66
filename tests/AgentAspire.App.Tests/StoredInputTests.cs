using System.Net;
using System.Text;

namespace AgentAspire.App.Tests;

/// <summary>What is stored of a run's input is what was validated, written compactly: padding never reaches Valkey.</summary>
[Collection(AppCollection.Name)]
public sealed class StoredInputTests(AppFixture fixture)
{
    [Fact]
    public async Task An_input_padded_with_100_KB_of_whitespace_is_stored_under_1_KB()
    {
        // Arrange
        var padding = new string(' ', 100 * 1024);
        var body = """{"agent":"research","input":{"question": "How big is this?" """ + padding + "}}";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        // Act
        using var response = await fixture.Api.PostAsync("/runs", content, TestContext.Current.CancellationToken);
        var runId = response.Headers.Location!.OriginalString.Split('/')[^1];
        var stored = (await fixture.Database.HashGetAsync($"agent:state:{{{runId}}}", "input")).ToString();

        // Assert
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        TestContext.Current.SendDiagnosticMessage($"Sent {Encoding.UTF8.GetByteCount(body):N0} bytes; stored input {Encoding.UTF8.GetByteCount(stored):N0} bytes.");
        Assert.True(Encoding.UTF8.GetByteCount(stored) < 1024, $"The stored input is {stored.Length} characters.");
        Assert.Equal("""{"question":"How big is this?"}""", stored);
    }
}
