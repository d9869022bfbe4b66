using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentAspire.Template.Tests;

// Slow: every instantiation is restored and built. One class, so the builds run one after another; every dotnet
// command has its own timeout (TemplateFixture.CommandTimeout).
[Trait("Category", "Template")]
public sealed partial class TemplateTests(TemplateFixture template) : IClassFixture<TemplateFixture>
{
    private Task<GeneratedApp> DefaultApp() => template.AppAsync("default", build: true);

    [Fact]
    public async Task Default_app_is_renamed_everywhere_and_builds()
    {
        var app = await DefaultApp();
        Report("default build", app.BuildDuration);

        Assert.True(File.Exists(app.PathOf("Contoso.Agents.sln")));
        Assert.True(File.Exists(app.PathOf("AppHost", "Contoso.Agents.AppHost.csproj")));
        Assert.True(File.Exists(app.PathOf("tests", "Contoso.Agents.Agents.Tests", "Contoso.Agents.Agents.Tests.csproj")));
        var appHost = File.ReadAllText(app.PathOf("AppHost", "AppHost.cs"));
        Assert.Contains("Projects.Contoso_Agents_AgentApi", appHost);
        Assert.Contains("Projects.Contoso_Agents_LogViewer", appHost);
        Assert.DoesNotContain("//#if", appHost);
        Assert.Equal("auto", ValkeyMode(app));

        foreach (var file in SourceFiles(app))
        {
            var text = File.ReadAllText(file);
            Assert.False(text.Contains("AgentAspire", StringComparison.Ordinal), $"{file} still names AgentAspire");
            Assert.False(text.Contains("#if (Include", StringComparison.Ordinal), $"{file} keeps a template conditional");
        }
    }

    [Fact]
    public async Task Default_app_leaves_out_the_template_machinery_and_local_state()
    {
        var app = await template.AppAsync("default", build: true);

        Assert.False(Directory.Exists(app.PathOf(".template.config")));
        Assert.False(Directory.Exists(app.PathOf("eng", "template")));
        Assert.False(Directory.Exists(app.PathOf("tests", "Contoso.Agents.Template.Tests")));
        Assert.DoesNotContain("Template.Tests", File.ReadAllText(app.PathOf("Contoso.Agents.sln")));
        Assert.True(File.Exists(app.PathOf("azure.yaml")));
        Assert.Contains("./AppHost/Contoso.Agents.AppHost.csproj", File.ReadAllText(app.PathOf("azure.yaml")));
    }

    [Fact]
    public async Task Default_app_passes_its_agent_tests()
    {
        var app = await DefaultApp();

        var test = await template.RunAsync(app.Root,
            "test", "--project", app.PathOf("tests", "Contoso.Agents.Agents.Tests"), "--no-build");
        Report("agent tests", test.Duration);

        Assert.True(test.ExitCode == 0, test.Output);
    }

    [Fact]
    public async Task Manifest_describes_valkey_as_a_container_with_a_volume_and_a_secret_generated_password()
    {
        var app = await DefaultApp();
        var path = Path.Combine(template.WorkRoot, "manifest.json");

        var run = await template.RunAsync(app.Root, "run", "--project", app.PathOf("AppHost", "Contoso.Agents.AppHost.csproj"),
            "--no-build", "--no-launch-profile", "--", "--publisher", "manifest", "--output-path", path);
        Report("manifest", run.Duration);
        Assert.True(run.ExitCode == 0, run.Output);

        var text = File.ReadAllText(path);
        var resources = JsonNode.Parse(text)!["resources"]!;

        var valkey = resources["valkey"]!;
        Assert.StartsWith("container.", (string)valkey["type"]!);
        Assert.EndsWith("valkey/valkey:8", (string)valkey["image"]!);
        Assert.Contains(valkey["volumes"]!.AsArray(), v => (string)v!["target"]! == "/data");
        Assert.Contains("{valkey-password.value}", (string)valkey["connectionString"]!);
        Assert.Contains("{valkey-password.value}", valkey["args"]!.AsArray().Select(a => (string)a!));

        var password = resources["valkey-password"]!;
        Assert.Equal("parameter.v0", (string)password["type"]!);
        Assert.True((bool)password["inputs"]!["value"]!["secret"]!);
        Assert.NotNull(password["inputs"]!["value"]!["default"]!["generate"]);

        foreach (var name in new[] { "api", "worker", "logviewer" })
        {
            var project = resources[name]!;
            Assert.StartsWith("project.", (string)project["type"]!);
            Assert.Equal("{valkey.connectionString}", (string)project["env"]!["ConnectionStrings__valkey"]!);
        }

        foreach (var name in new[] { "api", "logviewer" })
        {
            Assert.True((bool?)resources[name]!["bindings"]!["http"]!["external"] ?? false, $"{name} is not external");
        }

        Assert.DoesNotContain(resources["worker"]!["bindings"]?.AsObject() ?? [], b => (bool?)b.Value!["external"] ?? false);
        // Passwords appear only as references to the secret parameter, never as values.
        Assert.DoesNotMatch(LiteralPassword(), text);
    }

    [Fact]
    public async Task No_logviewer_leaves_out_the_viewer_its_reference_and_registration_and_builds()
    {
        var app = await template.AppAsync("no-logviewer", build: true, "--no-logviewer");
        Report("--no-logviewer build", app.BuildDuration);

        Assert.False(Directory.Exists(app.PathOf("LogViewer")));
        Assert.DoesNotContain("LogViewer", File.ReadAllText(app.PathOf("Contoso.Agents.sln")));
        Assert.DoesNotContain("LogViewer", File.ReadAllText(app.PathOf("AppHost", "Contoso.Agents.AppHost.csproj")));
        Assert.DoesNotContain("logviewer", File.ReadAllText(app.PathOf("AppHost", "AppHost.cs")));
        Assert.True(Directory.Exists(app.PathOf("tests")));
    }

    [Fact]
    public async Task No_tests_with_local_valkey_leaves_out_the_tests_sets_the_mode_and_builds()
    {
        var app = await template.AppAsync("no-tests-local", build: true, "--no-tests", "--valkey-mode", "local");
        Report("--no-tests --valkey-mode local build", app.BuildDuration);

        Assert.False(Directory.Exists(app.PathOf("tests")));
        Assert.DoesNotContain("tests", File.ReadAllText(app.PathOf("Contoso.Agents.sln")));
        Assert.Equal("local", ValkeyMode(app));
        Assert.True(Directory.Exists(app.PathOf("LogViewer")));
    }

    [Fact]
    public async Task Valkey_mode_container_sets_the_default_mode()
    {
        var app = await template.AppAsync("container", build: false, "--valkey-mode", "container");

        Assert.Equal("container", ValkeyMode(app));
    }

    private static string ValkeyMode(GeneratedApp app) =>
        (string)JsonNode.Parse(File.ReadAllText(app.PathOf("AppHost", "appsettings.json")))!["Valkey"]!["Mode"]!;

    private static IEnumerable<string> SourceFiles(GeneratedApp app) =>
        Directory.EnumerateFiles(app.Root, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                && Path.GetExtension(f) is ".cs" or ".csproj" or ".sln" or ".json" or ".yaml" or ".md" or ".props" or ".razor");

    private static void Report(string step, TimeSpan? duration)
    {
        if (duration is { } elapsed)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{step}: {elapsed.TotalSeconds:F0} s");
        }
    }

    // "password=" followed by anything but the start of a {parameter} reference.
    [GeneratedRegex(@"password=(?!\{)", RegexOptions.IgnoreCase)]
    private static partial Regex LiteralPassword();
}
