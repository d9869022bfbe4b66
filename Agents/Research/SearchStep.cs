using AgentAspire.Agents.Research.Tools;

namespace AgentAspire.Agents.Research;

/// <summary>Step 2: runs every planned query through <c>web_search</c> and keeps the distinct hits.</summary>
/// <param name="timeProvider">The clock the step delay runs on.</param>
/// <param name="webSearch">The tool the step calls.</param>
public sealed class SearchStep(TimeProvider timeProvider, WebSearchTool webSearch) : ResearchStep(timeProvider)
{
    /// <summary>The step's name.</summary>
    public const string StepName = "search";

    /// <summary>How many hits each query asks for.</summary>
    public const int HitsPerQuery = 3;

    /// <inheritdoc />
    public override string Name => StepName;

    /// <inheritdoc />
    protected override async Task<StepResult> ExecuteAfterDelayAsync(StepContext context, ResearchInput input)
    {
        if (context.Retry < input.FailSearchAttempts)
        {
            throw new SimulatedStepFailureException($"Search try {context.Retry + 1} fails on purpose ({input.FailSearchAttempts} failing tries asked for).");
        }

        var plan = context.GetResult<ResearchPlan>(PlanStep.StepName);
        var hits = new List<ResearchHit>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var query in plan.Queries)
        {
            var found = await webSearch.CallAsync(context, new WebSearchArgs(query, HitsPerQuery, input.SearchLatencyMs)).ConfigureAwait(false);
            hits.AddRange(found.Hits
                .Where(hit => seen.Add(hit.Url))
                .Select(hit => new ResearchHit(query, hit.Title, hit.Url, hit.Snippet, hit.Score)));
        }

        return StepResult.Done(new SearchFindings(plan.Queries, hits));
    }
}
