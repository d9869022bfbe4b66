using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentAspire.Template.Tests;

// Slow: the template is packed and installed as people get it; every instantiation is restored and built. One class, so the builds run one after another; every dotnet
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
    public void Package_holds_each_file_once_at_its_repository_path()
    {
        const string content = "content/AgentAspire/";
        var entries = template.PackageEntries.Where(entry => entry.StartsWith(content, StringComparison.Ordinal))
            .Select(entry => entry[content.Length..]).ToList();

        Assert.Equal(entries.Count, entries.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(".template.config/template.json", entries);
        Assert.Contains("AppHost/AppHost.cs", entries);
        Assert.Contains(".ci/run", entries);
        Assert.All(entries, entry => Assert.True(File.Exists(Path.Combine(template.RepositoryRoot, entry)), $"{entry} is not a file of the repository"));
        Assert.DoesNotContain(entries, entry => entry.StartsWith("eng/template/", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, entry => entry.Split('/').Any(part => part is "bin" or "obj"));
        // Every file the repository tracks is in it, but the packing project and these tests.
        var missing = TrackedFiles().Where(file => !file.StartsWith("eng/template/", StringComparison.Ordinal)
            && !file.StartsWith("tests/AgentAspire.Template.Tests/", StringComparison.Ordinal)
            && !entries.Contains(file)).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public async Task Installing_the_folder_creates_the_same_app_as_the_package()
    {
        var fromPackage = await DefaultApp();
        var hive = await template.InstallFolderAsync();
        var output = Path.Combine(template.WorkRoot, "from-folder", TemplateFixture.AppName);

        var create = await TemplateFixture.RunAsync(template.WorkRoot, "new", TemplateFixture.ShortName, "-n", TemplateFixture.AppName, "-o", output, "--debug:custom-hive", hive);

        Assert.True(create.ExitCode == 0, create.Output);
        Assert.Equal(fromPackage.SourceFiles().Order(StringComparer.Ordinal), new GeneratedApp(output, null).SourceFiles().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Default_app_passes_its_unit_tests()
    {
        var app = await DefaultApp();

        var agents = await TemplateFixture.RunAsync(app.Root,
            "test", "--project", app.PathOf("tests", "Contoso.Agents.Agents.Tests"), "--no-build");
        var state = await TemplateFixture.RunAsync(app.Root,
            "test", "--project", app.PathOf("tests", "Contoso.Agents.AgentState.Tests"), "--no-build", "--", "--filter-namespace", "Contoso.Agents.AgentState.Tests.Unit");
        Report("agent tests", agents.Duration);
        Report("state unit tests", state.Duration);

        Assert.True(agents.ExitCode == 0, agents.Output);
        Assert.True(state.ExitCode == 0, state.Output);
        Assert.Matches("succeeded: [1-9]", agents.Output);
        Assert.Matches("succeeded: [1-9]", state.Output);
    }

    [Fact]
    public async Task Manifest_describes_valkey_as_a_container_with_a_volume_and_a_secret_generated_password()
    {
        var app = await DefaultApp();

        var path = await template.ManifestAsync(app, "default");

        var text = File.ReadAllText(path);
        var resources = JsonNode.Parse(text)!["resources"]!;

        var valkey = resources["valkey"]!;
        Assert.StartsWith("container.", (string)valkey["type"]!);
        Assert.EndsWith("valkey/valkey:8", (string)valkey["image"]!);
        Assert.Contains(valkey["volumes"]!.AsArray(), v => (string)v!["target"]! == "/data");
        Assert.Contains("{valkey-password.value}", (string)valkey["connectionString"]!);
        // The password reaches the server through the environment, never an argument.
        Assert.Equal("{valkey-password.value}", (string)valkey["env"]!["VALKEY_PASSWORD"]!);
        Assert.Equal("/bin/sh", (string)valkey["entrypoint"]!);
        Assert.DoesNotContain(valkey["args"]!.AsArray(), a => ((string)a!).Contains("{valkey-password", StringComparison.Ordinal));

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

    [Theory]
    [InlineData("default")]
    [InlineData("no-logviewer", "--no-logviewer")]
    [InlineData("no-tests-local", "--no-tests", "--valkey-mode", "local")]
    [InlineData("container", "--valkey-mode", "container")]
    public async Task Manifest_meets_the_rules_azd_deploys_by(string key, params string[] options)
    {
        var app = await template.AppAsync(key, build: key != "container", options);

        var manifest = JsonNode.Parse(File.ReadAllText(await template.ManifestAsync(app, key)))!;

        var violations = AzdManifestRules.Violations(manifest, ["api", "logviewer"]);
        Assert.True(violations.Count == 0, string.Join('\n', violations));
        Assert.Equal(!options.Contains("--no-logviewer"), manifest["resources"]!.AsObject().ContainsKey("logviewer"));
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

    private List<string> TrackedFiles()
    {
        using var git = Process.Start(new ProcessStartInfo("git", ["ls-files"])
        {
            WorkingDirectory = template.RepositoryRoot,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var files = git.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0 && files.Count > 0, "git ls-files lists nothing: the package cannot be compared with the repository.");
        return files;
    }

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
