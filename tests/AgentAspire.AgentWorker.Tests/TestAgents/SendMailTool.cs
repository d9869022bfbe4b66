using AgentAspire.Agents;

namespace AgentAspire.AgentWorker.Tests.TestAgents;

public sealed record SendMailArgs(string To, string Body);

public sealed record SendMailResult(string MessageId);

/// <summary>A tool with a side effect a person approves first; counts its real calls.</summary>
public sealed class SendMailTool : AgentTool<SendMailArgs, SendMailResult>
{
    private int _sent;

    public int Sent => Volatile.Read(ref _sent);

    public override string Name => "send_mail";

    public override string Description => "Sends an e-mail.";

    public override bool RequiresApproval => true;

    // Nothing to reuse: every call is a new mail.
    public override TimeSpan Ttl => TimeSpan.FromSeconds(1);

    protected override Task<SendMailResult> InvokeAsync(SendMailArgs args, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _sent);
        return Task.FromResult(new SendMailResult($"mail-{number}"));
    }
}
