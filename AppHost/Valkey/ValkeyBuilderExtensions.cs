using AgentAspire.LocalValkey;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentAspire.AppHost.Valkey;

/// <summary>
/// Provides extension methods for adding Valkey servers to the application model.
/// </summary>
public static class ValkeyBuilderExtensions
{
    private const string ContainerDataDirectory = "/data";
    private const string ContainerPasswordVariable = "VALKEY_PASSWORD";

    /// <summary>
    /// Adds a Valkey server with a generated password and append-only persistence, as a container or as a local
    /// <c>valkey-server</c> process.
    /// </summary>
    /// <remarks>
    /// Configuration <c>Valkey:Mode</c> chooses how the server runs: <c>container</c>, <c>local</c> or <c>auto</c>
    /// (the default). When publishing, the server is always a container with a data volume. Otherwise <c>auto</c>
    /// picks a container when a container runtime answers and a local process when <c>valkey-server</c> is found
    /// (<c>Valkey:ServerPath</c> or the <c>PATH</c>); a local process keeps its data in <c>Valkey:DataDirectory</c>,
    /// by default a per-AppHost folder under the user's local application data. In both modes <c>Valkey:MaxMemory</c>
    /// (default <c>512mb</c>) limits memory with the <c>noeviction</c> policy and <c>Valkey:AppendFsync</c>
    /// (<c>everysec</c>, the default, <c>always</c> or <c>no</c>) says when the append-only file reaches the disk.
    /// </remarks>
    /// <param name="builder">The <see cref="IDistributedApplicationBuilder"/>.</param>
    /// <param name="name">The name of the resource, also the connection string name clients use.</param>
    /// <returns>A reference to the <see cref="IResourceBuilder{T}"/>.</returns>
    /// <example>
    /// Add Valkey to the AppHost and hand its connection string to a project:
    /// <code lang="csharp">
    /// var builder = DistributedApplication.CreateBuilder(args);
    ///
    /// var valkey = builder.AddValkey("valkey");
    /// builder.AddProject&lt;Projects.Api&gt;("api")
    ///        .WithReference(valkey)
    ///        .WaitFor(valkey);
    ///
    /// builder.Build().Run();
    /// </code>
    /// The project then connects with <c>builder.AddRedisClient("valkey")</c>.
    /// </example>
    /// <exception cref="DistributedApplicationException">
    /// The configured mode is unknown, or the chosen mode has nothing to run on this machine.
    /// </exception>
    public static IResourceBuilder<IValkeyResource> AddValkey(this IDistributedApplicationBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        IValkeyResource valkey = ValkeyModeResolver.Resolve(builder) switch
        {
            ValkeyMode.Container => builder.AddValkeyContainer(name).WithDataVolume().Resource,
            _ => builder.AddValkeyLocal(name).Resource,
        };

        return builder.CreateResourceBuilder(valkey);
    }

    /// <summary>
    /// Adds a Valkey server that runs in the <c>docker.io/valkey/valkey:8</c> container image, with a generated
    /// password, the append-only file on and the server settings of configuration <c>Valkey:*</c>.
    /// </summary>
    /// <remarks>
    /// The password reaches the server through an environment variable read by a <c>/bin/sh -c</c> entrypoint, never
    /// through an argument: container arguments are not secret, and azd refuses a manifest that puts one there.
    /// </remarks>
    /// <param name="builder">The <see cref="IDistributedApplicationBuilder"/>.</param>
    /// <param name="name">The name of the resource, also the connection string name clients use.</param>
    /// <param name="port">The host port to bind the container to; a random one when <see langword="null"/>.</param>
    /// <returns>A reference to the <see cref="IResourceBuilder{T}"/>.</returns>
    /// <example>
    /// <code lang="csharp">
    /// var valkey = builder.AddValkeyContainer("valkey")
    ///                     .WithDataVolume();
    /// </code>
    /// </example>
    public static IResourceBuilder<ValkeyResource> AddValkeyContainer(this IDistributedApplicationBuilder builder, string name, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        var settings = ValkeyServerSettings.From(builder.Configuration);
        var password = CreatePasswordParameter(builder, name);
        var valkey = new ValkeyResource(name, password);
        // The shell expands the variable; RDB snapshots are off, the append-only file in /data is the persistence.
        var command = string.Join(' ', ["exec", "valkey-server", "--requirepass", $"\"${ContainerPasswordVariable}\"",
            "--dir", ContainerDataDirectory, "--save", "''", .. settings.Arguments]);

        return builder.AddResource(valkey)
            .WithEndpoint(port: port, targetPort: 6379, name: ValkeyConnectionString.EndpointName)
            .WithImage(ValkeyContainerImageTags.Image, ValkeyContainerImageTags.Tag)
            .WithImageRegistry(ValkeyContainerImageTags.Registry)
            .WithEnvironment(context => context.EnvironmentVariables[ContainerPasswordVariable] = valkey.PasswordParameter)
            .WithEntrypoint("/bin/sh")
            .WithArgs("-c", command)
            .WithPingHealthCheck();
    }

    /// <summary>
    /// Adds a Valkey server that runs as a local <c>valkey-server</c> process on 127.0.0.1, with a generated
    /// password, the append-only file on, the server settings of configuration <c>Valkey:*</c> and a data folder kept
    /// between runs.
    /// </summary>
    /// <remarks>
    /// The password reaches the server in a configuration file only its owner can read, written to the data folder
    /// before each start, never through an argument: anyone on the machine can read a process's command line.
    /// </remarks>
    /// <param name="builder">The <see cref="IDistributedApplicationBuilder"/>.</param>
    /// <param name="name">The name of the resource, also the connection string name clients use.</param>
    /// <param name="serverPath">
    /// The path of <c>valkey-server</c>; by default configuration <c>Valkey:ServerPath</c>, else the <c>PATH</c>.
    /// </param>
    /// <param name="dataDirectory">
    /// The folder for the append-only file; by default configuration <c>Valkey:DataDirectory</c>, else a per-AppHost
    /// folder under the user's local application data. It is created when the server starts.
    /// </param>
    /// <returns>A reference to the <see cref="IResourceBuilder{T}"/>.</returns>
    /// <example>
    /// <code lang="csharp">
    /// var valkey = builder.AddValkeyLocal("valkey", serverPath: "/usr/bin/valkey-server");
    /// </code>
    /// </example>
    /// <exception cref="DistributedApplicationException"><c>valkey-server</c> cannot be found.</exception>
    public static IResourceBuilder<ValkeyProcessResource> AddValkeyLocal(this IDistributedApplicationBuilder builder, string name,
        string? serverPath = null, string? dataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        serverPath ??= ValkeyServerLocator.Find(builder.Configuration) ?? throw new DistributedApplicationException(
            $"valkey-server was not found on the PATH or at {ValkeyServerLocator.ServerPathKey}. " +
            "Install it (run eng/setup.sh) or set Valkey:Mode to 'container' and start Docker or Podman.");
        dataDirectory = Path.GetFullPath(dataDirectory ?? ValkeyDataDirectory.For(builder, name));

        var settings = ValkeyServerSettings.From(builder.Configuration);
        var password = CreatePasswordParameter(builder, name);
        var valkey = new ValkeyProcessResource(name, serverPath, dataDirectory, password);
        var arguments = new ValkeyServerArguments
        {
            PasswordFile = ValkeyPasswordFile.PathIn(valkey.DataDirectory),
            DataDirectory = valkey.DataDirectory,
            AppendOnly = true,
            AppendFsync = settings.AppendFsync,
            MaxMemory = settings.MaxMemory,
        };

        return builder.AddResource(valkey)
            // Not proxied: valkey-server listens on the port Aspire picks, which it learns through its arguments.
            .WithEndpoint(name: ValkeyConnectionString.EndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(arguments.ToArguments(valkey.PrimaryEndpoint.Property(EndpointProperty.TargetPort)).ToArray())
            .OnBeforeResourceStarted(async (resource, _, cancellationToken) =>
            {
                Directory.CreateDirectory(resource.DataDirectory);
                var value = await resource.PasswordParameter.GetValueAsync(cancellationToken)
                    ?? throw new DistributedApplicationException($"The password of '{resource.Name}' resolved to null.");
                await ValkeyPasswordFile.WriteAsync(arguments.PasswordFile, value, cancellationToken);
            })
            .WithPingHealthCheck();
    }

    /// <summary>
    /// Adds a named volume for the data folder of a Valkey container, so its append-only file outlives the container.
    /// </summary>
    /// <param name="builder">The resource builder.</param>
    /// <param name="name">The name of the volume; by default a name derived from the application and the resource.</param>
    /// <returns>The <see cref="IResourceBuilder{T}"/>.</returns>
    /// <example>
    /// <code lang="csharp">
    /// var valkey = builder.AddValkeyContainer("valkey")
    ///                     .WithDataVolume();
    /// </code>
    /// </example>
    public static IResourceBuilder<ValkeyResource> WithDataVolume(this IResourceBuilder<ValkeyResource> builder, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(builder);

        return builder.WithVolume(name ?? VolumeNameGenerator.Generate(builder, "data"), ContainerDataDirectory);
    }

    // Letters and digits only: a comma or an equals sign would break the connection string.
    private static ParameterResource CreatePasswordParameter(IDistributedApplicationBuilder builder, string name) =>
        ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);

    private static IResourceBuilder<T> WithPingHealthCheck<T>(this IResourceBuilder<T> builder) where T : IValkeyResource
    {
        string? connectionString = null;

        builder.OnConnectionStringAvailable(async (resource, _, cancellationToken) =>
        {
            connectionString = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken)
                ?? throw new DistributedApplicationException($"The connection string of '{resource.Name}' resolved to null.");
        });

        // One instance, owned by the AppHost's services, so its connection is reused by every check and closed at the end.
        var healthCheckKey = $"{builder.Resource.Name}_check";
        builder.ApplicationBuilder.Services.AddKeyedSingleton(healthCheckKey, (_, _) => new ValkeyHealthCheck(() => connectionString));
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, services => services.GetRequiredKeyedService<ValkeyHealthCheck>(healthCheckKey), failureStatus: null, tags: null));

        return builder.WithHealthCheck(healthCheckKey);
    }
}
