using System.IO.Compression;

namespace AgentAspire.Template.Tests;

/// <summary>
/// Packs the template as people get it (<c>dotnet pack eng/template</c>), installs the package into a template cache
/// of its own (a private <c>DOTNET_CLI_HOME</c> in a temporary folder), instantiates it on demand, and removes the
/// cache and every generated app at the end.
/// </summary>
public sealed class TemplateFixture : IAsyncLifetime
{
    public const string ShortName = "agent-aspire";
    public const string AppName = "Contoso.Agents";

    // Generous: a build of a whole generated app on a busy machine.
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(10);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Task<GeneratedApp>> _apps = [];

    public string RepositoryRoot { get; } = TestMachine.RepositoryRoot();

    public string WorkRoot { get; } = Path.Combine(Path.GetTempPath(), "agent-aspire-template-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The packed template.</summary>
    public string PackagePath { get; private set; } = "";

    /// <summary>The path of every file in the package.</summary>
    public IReadOnlyList<string> PackageEntries { get; private set; } = [];

    /// <summary>The dotnet CLI's home for template commands: its template cache is this fixture's alone.</summary>
    private Dictionary<string, string> TemplateHome => new() { ["DOTNET_CLI_HOME"] = Path.Combine(WorkRoot, "home") };

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(WorkRoot);
        var packages = Path.Combine(WorkRoot, "package");
        var pack = await RunAsync(RepositoryRoot, "pack", Path.Combine("eng", "template"), "-o", packages, "-nologo");
        Assert.True(pack.ExitCode == 0, pack.Output);
        PackagePath = Assert.Single(Directory.GetFiles(packages, "*.nupkg"));
        using (var package = ZipFile.OpenRead(PackagePath))
        {
            PackageEntries = [.. package.Entries.Select(entry => entry.FullName)];
        }

        var install = await DotNet.RunAsync(WorkRoot, CommandTimeout, TemplateHome, "new", "install", PackagePath);
        Assert.True(install.ExitCode == 0, install.Output);
    }

    public ValueTask DisposeAsync()
    {
        _gate.Dispose();
        if (Directory.Exists(WorkRoot))
        {
            Directory.Delete(WorkRoot, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Instantiates the template once per set of options, and builds the result once when asked to.</summary>
    public async Task<GeneratedApp> AppAsync(string key, bool build, params string[] options)
    {
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (!_apps.TryGetValue(key, out var app))
            {
                _apps[key] = app = CreateAsync(key, build, options);
            }

            return await app;
        }
        finally
        {
            _gate.Release();
        }
    }

    public static Task<DotNetResult> RunAsync(string workingDirectory, params string[] arguments) =>
        DotNet.RunAsync(workingDirectory, CommandTimeout, arguments);

    /// <summary>Installs the repository folder itself, as <c>dotnet new install .</c> does, into a hive of its own.</summary>
    public async Task<string> InstallFolderAsync()
    {
        var hive = Path.Combine(WorkRoot, "folder-hive");
        var install = await RunAsync(WorkRoot, "new", "install", RepositoryRoot, "--debug:custom-hive", hive);
        Assert.True(install.ExitCode == 0, install.Output);
        return hive;
    }

    /// <summary>Writes the azd manifest of a generated app (building its AppHost first unless it is built) and returns its path.</summary>
    public async Task<string> ManifestAsync(GeneratedApp app, string key)
    {
        var path = Path.Combine(WorkRoot, $"{key}-manifest.json");
        string[] build = app.BuildDuration is null ? [] : ["--no-build"];
        var run = await RunAsync(app.Root, ["run", "--project", app.PathOf("AppHost", $"{AppName}.AppHost.csproj"), .. build,
            "--no-launch-profile", "--", "--publisher", "manifest", "--output-path", path]);
        Assert.True(run.ExitCode == 0, run.Output);
        return path;
    }

    private async Task<GeneratedApp> CreateAsync(string key, bool build, string[] options)
    {
        var output = Path.Combine(WorkRoot, key, AppName);
        var instantiate = await DotNet.RunAsync(WorkRoot, CommandTimeout, TemplateHome, ["new", ShortName, "-n", AppName, "-o", output, .. options]);
        Assert.True(instantiate.ExitCode == 0, instantiate.Output);

        DotNetResult? buildResult = null;
        if (build)
        {
            buildResult = await RunAsync(output, "build", $"{AppName}.sln", "-warnaserror", "-nologo", "-clp:ErrorsOnly;Summary");
            Assert.True(buildResult.ExitCode == 0, buildResult.Output);
        }

        return new GeneratedApp(output, buildResult?.Duration);
    }

}

/// <summary>One instantiation of the template: its folder and how long its build took.</summary>
public sealed record GeneratedApp(string Root, TimeSpan? BuildDuration)
{
    public string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Every file's path relative to the app, build output left out.</summary>
    public IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(file => !file.Split('/').Any(part => part is "bin" or "obj"));
}
