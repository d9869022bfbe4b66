using System.Text.Json;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Runs;

namespace AgentAspire.LogViewer.Runs;

/// <summary>What a run page leads with: what the run was asked and what it answered.</summary>
/// <param name="Question">The input's <c>question</c>, a plain string input, else the input's one-line summary; null for no input.</param>
/// <param name="Answer">The last step's <c>answer</c> text when the run is complete and its result has one; null otherwise.</param>
/// <param name="ResultJson">The last step's result when the run is complete, to show whole when it has no <c>answer</c>.</param>
public sealed record RunHeadline(string? Question, string? Answer, string? ResultJson)
{
    private const string QuestionProperty = "question";
    private const string AnswerProperty = "answer";

    /// <summary>The headline of <paramref name="run"/>.</summary>
    public static RunHeadline Of(RunCheckpoint run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var result = run.Status == RunStatus.Complete && run.Steps.Count > 0 ? run.Steps[^1].ResultJson : null;
        return new RunHeadline(QuestionOf(run.InputJson), result is null ? null : Text(result, AnswerProperty), result);
    }

    // The whole question, not the listing's short line: this is where a person reads it.
    private static string? QuestionOf(string inputJson) =>
        Text(inputJson, QuestionProperty) is { } question && !string.IsNullOrWhiteSpace(question) ? question.Trim() : InputSummary.Of(inputJson);

    // A string property of an object, or a plain string value when no property is named for it.
    private static string? Text(string json, string property)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return root.ValueKind switch
            {
                JsonValueKind.Object when root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String => value.GetString(),
                JsonValueKind.String => root.GetString(),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
