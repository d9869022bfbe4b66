using Microsoft.Agents.AI.Workflows;

namespace AgentAspire.AgentFramework.Tests;

/// <summary>A three-superstep workflow: add one, double, then yield the text; each executor counts its calls.</summary>
internal sealed class CountingWorkflow
{
    public int Calls;

    public Workflow Build()
    {
        var addOne = ((Func<int, int>)(value => { Interlocked.Increment(ref Calls); return value + 1; })).BindAsExecutor("add-one");
        var twice = ((Func<int, int>)(value => { Interlocked.Increment(ref Calls); return value * 2; })).BindAsExecutor("twice");
        var show = ((Func<int, string>)(value => { Interlocked.Increment(ref Calls); return $"result {value}"; })).BindAsExecutor("show");
        return new WorkflowBuilder(addOne)
            .AddEdge(addOne, twice)
            .AddEdge(twice, show)
            .WithOutputFrom(show)
            .Build();
    }
}
