using System.Net.Http.Json;
using System.Text.Json;

namespace AgentAspire.LogViewer.Api;

/// <summary>
/// The viewer's only way to change runs: a typed client of AgentApi. Refusals come back as
/// <see cref="AgentApiException"/> carrying the ProblemDetails <c>detail</c>.
/// </summary>
public sealed class AgentApiClient(HttpClient http)
{
    /// <summary>The header that carries the api's key (configuration <c>AgentApi:ApiKey</c>), set on the client at registration.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly JsonSerializerOptions IndentedJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The registered agents.</summary>
    public async Task<IReadOnlyList<AgentInfo>> GetAgentsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("/agents", cancellationToken);
        await ThrowIfRefusedAsync(response, cancellationToken);
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return document.RootElement.EnumerateArray().Select(ToAgent).ToList();
    }

    /// <summary>Starts a run of <paramref name="agent"/> with <paramref name="inputJson"/> as its input.</summary>
    /// <exception cref="JsonException"><paramref name="inputJson"/> is not JSON.</exception>
    public async Task<StartedRun> StartRunAsync(string agent, string inputJson, CancellationToken cancellationToken = default)
    {
        using var input = JsonDocument.Parse(inputJson);
        using var response = await http.PostAsJsonAsync("/runs", new StartRunRequest(agent, input.RootElement), Json, cancellationToken);
        return await ReadStartedRunAsync(response, cancellationToken);
    }

    /// <summary>Cancels a queued, running or waiting run.</summary>
    public Task CancelAsync(string runId, CancellationToken cancellationToken = default) =>
        PostAsync($"/runs/{Escape(runId)}/cancel", null, cancellationToken);

    /// <summary>Queues a failed or cancelled run again.</summary>
    public Task ResumeAsync(string runId, CancellationToken cancellationToken = default) =>
        PostAsync($"/runs/{Escape(runId)}/resume", null, cancellationToken);

    /// <summary>Approves or rejects the step a waiting run asked about.</summary>
    public Task ApproveAsync(string runId, bool approved, string? comment, CancellationToken cancellationToken = default) =>
        PostAsync($"/runs/{Escape(runId)}/approve", JsonContent.Create(new ApproveRequest(approved, comment), options: Json), cancellationToken);

    /// <summary>Starts a new run that keeps the steps before <paramref name="fromStep"/>.</summary>
    public async Task<StartedRun> ForkAsync(string runId, int fromStep, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync($"/runs/{Escape(runId)}/fork", new ForkRequest(fromStep), Json, cancellationToken);
        return await ReadStartedRunAsync(response, cancellationToken);
    }

    /// <summary>
    /// Starts a replay of an ended run with the code deployed now: <c>recorded</c> answers every model and tool call from
    /// the run's record; <c>live-after</c> answers them up to <paramref name="afterStep"/> and calls live from there on.
    /// </summary>
    public async Task<StartedRun> ReplayAsync(string runId, string mode, int? afterStep, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync($"/runs/{Escape(runId)}/replay", new ReplayRequest(mode, afterStep), Json, cancellationToken);
        return await ReadStartedRunAsync(response, cancellationToken);
    }

    /// <summary>Deletes a run and every key of it.</summary>
    public async Task DeleteAsync(string runId, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"/runs/{Escape(runId)}", cancellationToken);
        await ThrowIfRefusedAsync(response, cancellationToken);
    }

    private async Task PostAsync(string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(path, content, cancellationToken);
        await ThrowIfRefusedAsync(response, cancellationToken);
    }

    private static async Task<StartedRun> ReadStartedRunAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await ThrowIfRefusedAsync(response, cancellationToken);
        string? runId = null;
        string? status = null;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!string.IsNullOrWhiteSpace(text))
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                runId = ReadString(document.RootElement, "runId");
                status = ReadString(document.RootElement, "status");
            }
        }

        // The Location header (/runs/{id}) names the run when the body does not.
        runId ??= response.Headers.Location?.OriginalString.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return runId is null
            ? throw new AgentApiException(response.StatusCode, "The api accepted the request but did not say which run it started.")
            : new StartedRun(Uri.UnescapeDataString(runId), status);
    }

    private static async Task ThrowIfRefusedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var message = $"The api answered {(int)response.StatusCode} {response.ReasonPhrase}.";
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            using var problem = JsonDocument.Parse(text);
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                message = ReadString(problem.RootElement, "detail") ?? ReadString(problem.RootElement, "title") ?? message;
            }
        }
        catch (JsonException)
        {
            // Not a ProblemDetails body: keep the status line.
        }

        throw new AgentApiException(response.StatusCode, message);
    }

    private static AgentInfo ToAgent(JsonElement agent) => new(
        ReadString(agent, "name") ?? "",
        ReadString(agent, "description") ?? "",
        agent.TryGetProperty("steps", out var steps) && steps.ValueKind == JsonValueKind.Array
            ? steps.EnumerateArray()
                .Select(step => step.ValueKind == JsonValueKind.String ? step.GetString() : ReadString(step, "name"))
                .OfType<string>()
                .ToList()
            : [],
        agent.TryGetProperty("exampleInput", out var example) && example.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? JsonSerializer.Serialize(example, IndentedJson)
            : null);

    private static string? ReadString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string Escape(string runId) => Uri.EscapeDataString(runId);
}
