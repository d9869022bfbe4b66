namespace AgentAspire.AgentState.Workflows;

/// <summary>How a checkpoint committed under a lease shows as a step of its run.</summary>
/// <param name="Name">The step's name, for example <c>superstep</c>.</param>
/// <param name="ResultJson">The step's result (JSON), as <c>GET /runs/{id}</c> shows it.</param>
/// <param name="LogDetailsJson">The details of the step's log entry (JSON).</param>
public sealed record WorkflowStep(string Name, string ResultJson, string LogDetailsJson);
