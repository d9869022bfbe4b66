using AgentAspire.Agents;
using AgentAspire.Agents.Loops;
using Microsoft.Extensions.AI;

namespace AgentAspire.AgentWorker.Tests.TestAgents;

public sealed record MailInput(string Text);

/// <summary>A model loop whose one tool asks a person first.</summary>
public sealed class MailLoopAgent(SendMailTool sendMail) : Agent<MailInput>
{
    public override string Name => "mail-loop";

    public override string Description => "Lets the model send mail, with a person's approval.";

    public override IReadOnlyList<IAgentStep> Steps { get; } = [new MailStep(sendMail)];

    private sealed class MailStep(SendMailTool sendMail) : ModelLoopStep<MailInput>
    {
        public override string Name => "mail";

        protected override IReadOnlyList<IAgentTool> Tools => [sendMail];

        protected override IEnumerable<ChatMessage> CreateMessages(StepContext context, MailInput input) => [new(ChatRole.User, input.Text)];
    }
}
