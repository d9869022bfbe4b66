namespace AgentAspire.Agents.Journaling;

/// <summary>A person refused a call of a tool that asks first; a model loop hands the model the refusal and goes on.</summary>
public sealed class ToolCallRejectedException : Exception
{
    /// <summary>Creates the refusal.</summary>
    /// <param name="tool">The tool refused.</param>
    /// <param name="comment">What the person said, if anything.</param>
    public ToolCallRejectedException(string tool, string? comment)
        : base(string.IsNullOrWhiteSpace(comment)
            ? $"A person refused to run the tool '{tool}'."
            : $"A person refused to run the tool '{tool}': {comment}")
    {
        Tool = tool;
    }

    /// <summary>The tool refused.</summary>
    public string Tool { get; } = "";
}
