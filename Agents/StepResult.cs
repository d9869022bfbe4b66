using System.Text.Json;

namespace AgentAspire.Agents;

/// <summary>A step's outcome: a JSON result to checkpoint, or a request for a person's approval (the run waits).</summary>
public sealed record StepResult
{
    private StepResult(JsonElement? value, string? approvalPrompt)
    {
        Value = value;
        ApprovalPrompt = approvalPrompt;
    }

    /// <summary>The result to checkpoint; null while the step awaits approval.</summary>
    public JsonElement? Value { get; }

    /// <summary>What the person is asked to approve; null when the step is done.</summary>
    public string? ApprovalPrompt { get; }

    /// <summary>True when the run must wait for a person's decision before this step can finish.</summary>
    public bool IsAwaitingApproval => ApprovalPrompt is not null;

    /// <summary>The step finished with this result.</summary>
    /// <typeparam name="T">The result's type.</typeparam>
    /// <param name="value">The result, serialized with <see cref="AgentJson.Options"/>.</param>
    /// <returns>A finished step's outcome.</returns>
    public static StepResult Done<T>(T value) =>
        new(JsonSerializer.SerializeToElement(value, AgentJson.Options), approvalPrompt: null);

    /// <summary>The step cannot finish until a person decides; the worker runs it again with the decision.</summary>
    /// <param name="prompt">What the person is asked to approve.</param>
    /// <returns>An outcome that makes the run wait.</returns>
    public static StepResult AwaitApproval(string prompt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prompt);
        return new(value: null, prompt);
    }
}
