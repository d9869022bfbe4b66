namespace AgentAspire.Agents;

/// <summary>A tool was called with arguments it cannot accept; never cached, never worth retrying.</summary>
/// <param name="toolName">The tool that refused the arguments.</param>
/// <param name="message">What is wrong with them.</param>
/// <param name="innerException">The parsing error behind it, if any.</param>
public sealed class ToolArgumentException(string toolName, string message, Exception? innerException = null)
    : Exception($"Tool '{toolName}' rejected its arguments: {message}", innerException)
{
    /// <summary>The tool that refused the arguments.</summary>
    public string ToolName { get; } = toolName;
}
