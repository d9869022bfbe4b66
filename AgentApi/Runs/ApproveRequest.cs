using System.Text.Json.Serialization;

namespace AgentAspire.AgentApi.Runs;

/// <summary>The body of <c>POST /runs/{id}/approve</c>.</summary>
/// <param name="Approved">Whether the waiting step may go on.</param>
/// <param name="Comment">What the person says along with the decision.</param>
/// <param name="Budget">With an approval: the run's new budget, for a run that waits because it reached its budget.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ApproveRequest(bool? Approved, string? Comment, BudgetLimits? Budget = null)
{
    /// <summary>The longest comment accepted, in characters.</summary>
    public const int MaxCommentLength = 2000;
}
