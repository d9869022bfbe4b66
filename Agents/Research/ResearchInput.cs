using System.Text.Json;

namespace AgentAspire.Agents.Research;

/// <summary>The input of the research agent: <c>{ "question": "...", "stepDelayMs": 0, "requireApproval": false, "failSearchAttempts": 0 }</c>.</summary>
/// <param name="Question">What to research, 1 to 2000 characters.</param>
/// <param name="StepDelayMs">How long each step waits before working, 0 to 60000 ms, so a run can be watched live.</param>
/// <param name="RequireApproval">Whether the respond step waits for a person's approval first.</param>
/// <param name="FailSearchAttempts">How many tries of the search step fail before one works, 0 to 100, to watch retries and dead letters.</param>
public sealed record ResearchInput(string Question, int StepDelayMs = 0, bool RequireApproval = false, int FailSearchAttempts = 0)
{
    /// <summary>The most failing search tries accepted.</summary>
    public const int MaxFailSearchAttempts = 100;

    /// <summary>The longest question accepted, in characters.</summary>
    public const int MaxQuestionLength = 2000;

    /// <summary>The longest step delay accepted, in milliseconds.</summary>
    public const int MaxStepDelayMs = 60_000;

    private const string QuestionProperty = "question";
    private const string StepDelayProperty = "stepDelayMs";
    private const string RequireApprovalProperty = "requireApproval";
    private const string FailSearchAttemptsProperty = "failSearchAttempts";
    private static readonly string AllowedProperties = string.Join(", ", QuestionProperty, StepDelayProperty, RequireApprovalProperty, FailSearchAttemptsProperty);

    /// <summary>Reads and checks the input; property names are matched exactly.</summary>
    /// <param name="input">The input a client sent.</param>
    /// <returns>The accepted input.</returns>
    /// <exception cref="AgentInputException">The input is not acceptable; the message says why.</exception>
    public static ResearchInput Parse(JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            throw new AgentInputException($"Input must be a JSON object such as {{\"question\": \"...\"}}, got {Describe(input.ValueKind)}.");
        }

        string? question = null;
        var stepDelayMs = 0;
        var requireApproval = false;
        var failSearchAttempts = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in input.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw new AgentInputException($"Property '{property.Name}' appears more than once.");
            }

            switch (property.Name)
            {
                case QuestionProperty:
                    question = ReadQuestion(property.Value);
                    break;
                case StepDelayProperty:
                    stepDelayMs = ReadWholeNumber(property.Value, StepDelayProperty, MaxStepDelayMs, "milliseconds");
                    break;
                case FailSearchAttemptsProperty:
                    failSearchAttempts = ReadWholeNumber(property.Value, FailSearchAttemptsProperty, MaxFailSearchAttempts, "tries");
                    break;
                case RequireApprovalProperty:
                    requireApproval = property.Value.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        var kind => throw new AgentInputException($"'{RequireApprovalProperty}' must be true or false, got {Describe(kind)}."),
                    };
                    break;
                default:
                    throw new AgentInputException($"Unknown property '{property.Name}'; allowed: {AllowedProperties}.");
            }
        }

        return question is null
            ? throw new AgentInputException($"'{QuestionProperty}' is required.")
            : new ResearchInput(question, stepDelayMs, requireApproval, failSearchAttempts);
    }

    private static string ReadQuestion(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new AgentInputException($"'{QuestionProperty}' must be a string, got {Describe(value.ValueKind)}.");
        }

        var question = value.GetString()!;
        if (string.IsNullOrWhiteSpace(question))
        {
            throw new AgentInputException($"'{QuestionProperty}' must not be empty.");
        }

        return question.Length > MaxQuestionLength
            ? throw new AgentInputException($"'{QuestionProperty}' must be at most {MaxQuestionLength} characters, got {question.Length}.")
            : question;
    }

    private static int ReadWholeNumber(JsonElement value, string property, int max, string unit)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw new AgentInputException($"'{property}' must be a whole number of {unit}, got {Describe(value.ValueKind)} {value.GetRawText()}.");
        }

        return number < 0 || number > max
            ? throw new AgentInputException($"'{property}' must be between 0 and {max}, got {number}.")
            : (int)number;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
