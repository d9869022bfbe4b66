using AgentAspire.Agents;
using AgentAspire.Agents.Running;

namespace AgentAspire.AgentFramework;

/// <summary>
/// The tools of a workflow run: each call goes to the tools of the superstep being worked on, so its <c>tool_call</c>
/// log entry and its idempotency key carry that superstep's step number.
/// </summary>
/// <param name="run">The claim of the run.</param>
/// <param name="currentStep">The step number of the superstep running now: the last committed step plus one.</param>
internal sealed class SuperstepTools(AgentRun run, Func<int> currentStep) : IToolRunner
{
    public Task<TResult> CallAsync<TArgs, TResult>(AgentTool<TArgs, TResult> tool, TArgs args, CancellationToken cancellationToken = default) =>
        run.ToolsFor(currentStep()).CallAsync(tool, args, cancellationToken);

    public Task<System.Text.Json.JsonElement> CallAsync(IAgentTool tool, System.Text.Json.JsonElement arguments, CancellationToken cancellationToken = default) =>
        run.ToolsFor(currentStep()).CallAsync(tool, arguments, cancellationToken);
}
