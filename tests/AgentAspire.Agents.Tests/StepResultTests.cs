using System.Text.Json;

namespace AgentAspire.Agents.Tests;

public sealed class StepResultTests
{
    private sealed record Sample(string StepName, int ItemCount);

    [Fact]
    public void Done_carries_the_value_as_camel_case_json_and_does_not_wait()
    {
        var result = StepResult.Done(new Sample("plan", 3));

        Assert.False(result.IsAwaitingApproval);
        Assert.Null(result.ApprovalPrompt);
        Assert.Equal("""{"stepName":"plan","itemCount":3}""", result.Value!.Value.GetRawText());
    }

    [Fact]
    public void Done_with_null_still_counts_as_done()
    {
        var result = StepResult.Done<string?>(null);

        Assert.False(result.IsAwaitingApproval);
        Assert.Equal(JsonValueKind.Null, result.Value!.Value.ValueKind);
    }

    [Fact]
    public void AwaitApproval_carries_the_prompt_and_no_value()
    {
        var result = StepResult.AwaitApproval("Send the email?");

        Assert.True(result.IsAwaitingApproval);
        Assert.Equal("Send the email?", result.ApprovalPrompt);
        Assert.Null(result.Value);
    }

    [Fact]
    public void AwaitApproval_refuses_an_empty_prompt()
    {
        Assert.Throws<ArgumentException>(() => StepResult.AwaitApproval(" "));
    }
}
