using System.Text.Json;

namespace AgentAspire.AgentFramework;

/// <summary>
/// Names a superstep after the executors that ran in it, read from the checkpoints around it: the messages the previous
/// checkpoint queued are delivered to their target executors in this superstep, and a request answered since then
/// is delivered to its port's executor. The first superstep runs the workflow's start executor.
/// </summary>
internal static class SuperstepName
{
    /// <summary>What joins the names of executors that ran in the same superstep, as in <c>search+lookup</c>.</summary>
    public const string Separator = "+";

    /// <summary>The superstep's name, or <see langword="null"/> when the checkpoints do not say (a layout not known here).</summary>
    /// <param name="previous">The checkpoint the superstep began from; <see langword="null"/> for the first superstep.</param>
    /// <param name="current">The checkpoint taken at the end of the superstep.</param>
    /// <param name="startExecutorId">The workflow's start executor.</param>
    public static string? Of(JsonElement? previous, JsonElement current, string? startExecutorId)
    {
        if (previous is not { } before)
        {
            return string.IsNullOrEmpty(startExecutorId) ? null : startExecutorId;
        }

        var ran = new List<string>();
        if (RunnerData(before, "queuedMessages") is { ValueKind: JsonValueKind.Object } queued)
        {
            ran.AddRange(queued.EnumerateObject().Select(target => target.Name));
        }

        var stillOpen = Requests(current).Select(request => request.Id).ToHashSet(StringComparer.Ordinal);
        ran.AddRange(Requests(before).Where(request => !stillOpen.Contains(request.Id)).Select(request => request.PortId));
        var names = ran.Where(name => !string.IsNullOrEmpty(name)).Distinct(StringComparer.Ordinal).ToArray();
        return names.Length == 0 ? null : string.Join(Separator, names);
    }

    private static JsonElement? RunnerData(JsonElement checkpoint, string property) =>
        checkpoint.ValueKind == JsonValueKind.Object
        && checkpoint.TryGetProperty("runnerData", out var runner) && runner.ValueKind == JsonValueKind.Object
        && runner.TryGetProperty(property, out var value)
            ? value
            : null;

    private static IEnumerable<(string Id, string PortId)> Requests(JsonElement checkpoint)
    {
        if (RunnerData(checkpoint, "outstandingRequests") is not { ValueKind: JsonValueKind.Array } requests)
        {
            yield break;
        }

        foreach (var request in requests.EnumerateArray())
        {
            if (request.ValueKind == JsonValueKind.Object
                && request.TryGetProperty("requestId", out var id) && id.ValueKind == JsonValueKind.String
                && request.TryGetProperty("portInfo", out var port) && port.ValueKind == JsonValueKind.Object
                && port.TryGetProperty("portId", out var portId) && portId.ValueKind == JsonValueKind.String)
            {
                yield return (id.GetString()!, portId.GetString()!);
            }
        }
    }
}
