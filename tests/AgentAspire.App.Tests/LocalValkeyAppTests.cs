using StackExchange.Redis;

namespace AgentAspire.App.Tests;

// Reads /proc and Unix file modes: Linux only.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class LocalValkeyAppTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(1);

    [LinuxFact]
    public async Task Starts_local_valkey_and_api_then_leaves_no_valkey_server_behind()
    {
        // Arrange: a data folder of its own, which also identifies the server process this test starts
        var dataDirectory = Directory.CreateTempSubdirectory("agentaspire-app-test-").FullName;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartTimeout);

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AgentAspire_AppHost>(
            ["--Valkey:Mode=local", $"--Valkey:DataDirectory={dataDirectory}"], timeout.Token);
        var app = await builder.BuildAsync(timeout.Token);

        int valkeyServerId;
        try
        {
            // Act
            await app.StartAsync(timeout.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("valkey", timeout.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("api", timeout.Token);

            var connectionString = await app.GetConnectionStringAsync("valkey", timeout.Token);
            await using var connection = await ConnectionMultiplexer.ConnectAsync(connectionString!);
            var database = connection.GetDatabase();
            await database.StringSetAsync("app-test:greeting", "hello");
            var greeting = await database.StringGetAsync("app-test:greeting");

            using var api = app.CreateHttpClient("api", "http");
            using var health = await api.GetAsync("/health", timeout.Token);

            // Assert
            Assert.Equal("hello", greeting.ToString());
            Assert.True(health.IsSuccessStatusCode, $"/health answered {(int)health.StatusCode}");
            valkeyServerId = Assert.Single(ValkeyServersUsing(dataDirectory));

            // The password is in a file only the owner reads, never in the arguments the process was started with.
            var password = ConfigurationOptions.Parse(connectionString!).Password!;
            Assert.True(app.ResourceNotifications.TryGetCurrentState("valkey", out var state));
            var startArguments = state!.Snapshot.Properties.Single(p => p.Name == "executable.args").Value;
            var passwordFile = Assert.Single(Directory.GetFiles(dataDirectory, "valkey-password.conf", SearchOption.AllDirectories));
            Assert.Contains("--appendonly", Assert.IsAssignableFrom<IEnumerable<string>>(startArguments));
            Assert.DoesNotContain(Assert.IsAssignableFrom<IEnumerable<string>>(startArguments), argument => argument.Contains(password, StringComparison.Ordinal));
            Assert.Contains(password, File.ReadAllText(passwordFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));
        }
        finally
        {
            await app.DisposeAsync();
        }

        using var stopTimeout = new CancellationTokenSource(StopTimeout);
        await WaitForExitAsync(valkeyServerId, stopTimeout.Token);
        Assert.Empty(ValkeyServersUsing(dataDirectory));
        Directory.Delete(dataDirectory, recursive: true);
    }

    // valkey-server rewrites its command line, but it runs in its data folder, which nothing else uses.
    private static List<int> ValkeyServersUsing(string dataDirectory) =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, out _))
            .Select(int.Parse!)
            .Where(id => ProcessName(id) == "valkey-server"
                && LinkTarget($"/proc/{id}/cwd") is { } cwd && cwd.StartsWith(dataDirectory, StringComparison.Ordinal))
            .ToList();

    private static string? ProcessName(int processId)
    {
        try
        {
            return File.ReadAllText($"/proc/{processId}/comm").TrimEnd('\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process ended or belongs to someone else.
            return null;
        }
    }

    private static async Task WaitForExitAsync(int processId, CancellationToken cancellationToken)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }
}
