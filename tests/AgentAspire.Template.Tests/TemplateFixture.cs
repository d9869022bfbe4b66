namespace AgentAspire.Template.Tests;

/// <summary>
/// Installs the repository as a template into a private hive in a temporary folder, instantiates it on demand, and
/// removes the hive and every generated app at the end.
/// </summary>
public sealed class TemplateFixture : IAsyncLifetime
{
    public const string ShortName = "agent-aspire";
    public const string AppName = "Contoso.Agents";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(4);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Task<GeneratedApp>> _apps = [];

    public string RepositoryRoot { get; } = FindRepositoryRoot();

    public string WorkRoot { get; } = Path.Combine(Path.GetTempPath(), "agent-aspire-template-" + Guid.NewGuid().ToString("N")[..12]);

    private string Hive => Path.Combine(WorkRoot, "hive");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(WorkRoot);
        var install = await DotNet.RunAsync(WorkRoot, CommandTimeout, "new", "install", RepositoryRoot, "--debug:custom-hive", Hive);
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

    public Task<DotNetResult> RunAsync(string workingDirectory, params string[] arguments) =>
        DotNet.RunAsync(workingDirectory, CommandTimeout, arguments);

    private async Task<GeneratedApp> CreateAsync(string key, bool build, string[] options)
    {
        var output = Path.Combine(WorkRoot, key, AppName);
        var instantiate = await RunAsync(WorkRoot,
            ["new", ShortName, "-n", AppName, "-o", output, "--debug:custom-hive", Hive, .. options]);
        Assert.True(instantiate.ExitCode == 0, instantiate.Output);

        DotNetResult? buildResult = null;
        if (build)
        {
            buildResult = await RunAsync(output, "build", $"{AppName}.sln", "-warnaserror", "-nologo", "-clp:ErrorsOnly;Summary");
            Assert.True(buildResult.ExitCode == 0, buildResult.Output);
        }

        return new GeneratedApp(output, buildResult?.Duration);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, ".template.config")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (the folder with .template.config) was not found above the test output.");
    }
}

/// <summary>One instantiation of the template: its folder and how long its build took.</summary>
public sealed record GeneratedApp(string Root, TimeSpan? BuildDuration)
{
    public string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);
}
