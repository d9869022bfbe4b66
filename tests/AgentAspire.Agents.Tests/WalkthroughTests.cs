using AgentAspire.AppAgents;
using System.Text.RegularExpressions;
using AgentAspire.Agents.Words;
using Microsoft.Extensions.DependencyInjection;

namespace AgentAspire.Agents.Tests;

/// <summary>
/// docs/agents.md walks through adding an agent with one tool; its code is the code of the Walkthrough folder,
/// which these tests compile, register and run.
/// </summary>
public sealed partial class WalkthroughTests
{
    private static readonly string RepositoryRoot = TestMachine.RepositoryRoot();

    [GeneratedRegex(@"```csharp\n// (?<path>Agents/\S+\.cs)\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex QuotedFile();

    public static TheoryData<string> WalkthroughFiles => new(
        Directory.GetFiles(Path.Combine(RepositoryRoot, "tests", "AgentAspire.Agents.Tests", "Walkthrough"), "*.cs").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(WalkthroughFiles))]
    public void The_guide_quotes_each_walkthrough_file_exactly(string fileName)
    {
        var guide = Normalize(File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "agents.md")));
        var code = Normalize(File.ReadAllText(Path.Combine(RepositoryRoot, "tests", "AgentAspire.Agents.Tests", "Walkthrough", fileName)));

        var quoted = QuotedFile().Matches(guide).ToDictionary(match => match.Groups["path"].Value, match => match.Groups["code"].Value);

        Assert.True(quoted.TryGetValue($"Agents/Words/{fileName}", out var quotedCode), $"docs/agents.md quotes no Agents/Words/{fileName}.");
        Assert.Equal(code.Trim(), quotedCode.Trim());
    }

    [Fact]
    public void The_guide_registers_the_agent_and_its_tool_as_the_test_does()
    {
        var guide = Normalize(File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "agents.md")));

        Assert.Contains("            .AddAgent<WordsAgent>()\n            .AddTool<TopWordsTool>();", guide, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_walkthrough_agent_is_registered_reads_a_plain_string_and_runs_both_steps_with_its_tool()
    {
        using var services = Register();

        Assert.True(services.GetRequiredService<AgentCatalog>().TryGet("words", out var agent));
        Assert.Equal(AgentKinds.Steps, agent.Kind);
        var runner = new StepRunner(agent, "\"Valkey streams keep logs; streams keep order, and Valkey keeps streams small.\"");
        await runner.RunAllAsync();

        var call = Assert.Single(runner.Tools.Calls);
        Assert.Equal("top_words", call.Tool);
        Assert.Equal(["streams", "keep", "valkey"], runner.Result("count").GetProperty("words").EnumerateArray().Select(word => word.GetString()));
        Assert.Equal("The text has 12 words; the most frequent: streams, keep, valkey.", runner.Result("report").GetString());
    }

    [Theory]
    [InlineData("""{ "text": "x", "count": 11 }""", "'count' must be between 1 and 10, got 11.")]
    [InlineData("""{ "text": " " }""", "'text' must not be empty.")]
    [InlineData("""{ "txt": "x" }""", "Unknown property 'txt'; allowed: text, count.")]
    [InlineData("""{ "count": 2 }""", "'text' is required.")]
    public void The_walkthrough_agent_refuses_bad_input_with_its_own_messages(string json, string message)
    {
        using var services = Register();
        Assert.True(services.GetRequiredService<AgentCatalog>().TryGet("words", out var agent));

        var error = Assert.Throws<AgentInputException>(() => agent.ReadInput(Json.Parse(json)));

        Assert.Equal(message, error.Message);
    }

    private static ServiceProvider Register()
    {
        var services = new ServiceCollection();
        // As in the guide: the app's agents, plus the new agent and its tool.
        services.AddAppAgents()
            .AddAgent<WordsAgent>()
            .AddTool<TopWordsTool>();
        return services.BuildServiceProvider();
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

}
