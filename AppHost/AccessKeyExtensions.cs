using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>The secrets of the app: a generated key for the api and one for the viewer's sign-in, and how people get them.</summary>
internal static partial class AccessKeyExtensions
{
    /// <summary>
    /// A secret parameter generated once and kept in the AppHost's user secrets; configuration
    /// <c>Parameters:NAME</c> sets it instead (that is how a key is rotated).
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddAccessKey(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

    /// <summary>
    /// During a key rotation, gives the service the key being retired as <paramref name="environmentVariable"/>, so it
    /// accepts both: only when the parameter <c>NAME-previous</c> is configured (<c>Parameters:api-key-previous</c>),
    /// and only until it is removed again. SECURITY.md says how to roll a key over in three steps.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPreviousAccessKey(
        this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ParameterResource> accessKey, string environmentVariable)
    {
        var name = accessKey.Resource.Name + "-previous";
        if (builder.ApplicationBuilder.Configuration[$"Parameters:{name}"] is { Length: > 0 })
        {
            builder.WithEnvironment(environmentVariable, builder.ApplicationBuilder.AddParameter(name, secret: true));
        }

        return builder;
    }

    /// <summary>
    /// Logs a link that signs a browser in to the resource with <paramref name="accessKey"/> when it becomes ready, as
    /// the dashboard does with its login token.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSignInLinkPrinted(
        this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ParameterResource> accessKey, string signInPath) =>
        builder.OnResourceReady(async (resource, ready, cancellationToken) =>
        {
            var logger = ready.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AgentAspire.AppHost");
            var key = await accessKey.Resource.GetValueAsync(cancellationToken).ConfigureAwait(false);
            foreach (var endpoint in resource.GetEndpoints().Where(endpoint => endpoint.IsAllocated))
            {
                var link = $"{endpoint.Url}{signInPath}?key={Uri.EscapeDataString(key ?? "")}";
                LogSignInLink(logger, resource.Name, link);
            }
        });

    /// <summary>
    /// Logs a ready <c>curl</c> that calls the resource with <paramref name="apiKey"/> when it becomes ready, and where
    /// the key is kept, so the commands of the docs can be pasted as they are.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithApiKeyCurlPrinted(
        this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ParameterResource> apiKey) =>
        builder.OnResourceReady(async (resource, ready, cancellationToken) =>
        {
            var logger = ready.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AgentAspire.AppHost");
            var key = await apiKey.Resource.GetValueAsync(cancellationToken).ConfigureAwait(false);
            if (resource.GetEndpoints().FirstOrDefault(endpoint => endpoint.IsAllocated) is { } endpoint)
            {
                LogApiKey(logger, resource.Name, endpoint.Url, key, apiKey.Resource.Name);
            }
        });

    /// <summary>
    /// Sets <c>AllowedHosts</c> of the service so it answers only requests addressed to it by a known name (no DNS
    /// rebinding from another origin): configuration <c>AppHost:AllowedHosts</c>, else the hosts of its own endpoints
    /// and the loopback addresses when run locally. A published app is reached through its ingress; set the names there.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithAllowedHostsOfEndpoints(this IResourceBuilder<ProjectResource> builder, string? configured) =>
        builder.WithEnvironment(context =>
        {
            if (!string.IsNullOrWhiteSpace(configured))
            {
                context.EnvironmentVariables["AllowedHosts"] = configured;
            }
            else if (context.ExecutionContext.IsRunMode)
            {
                var hosts = builder.Resource.GetEndpoints()
                    .Where(endpoint => endpoint.IsAllocated)
                    .Select(endpoint => endpoint.Host)
                    .Concat(["localhost", "127.0.0.1", "[::1]"])
                    .Distinct(StringComparer.OrdinalIgnoreCase);
                context.EnvironmentVariables["AllowedHosts"] = string.Join(';', hosts);
            }
        });

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Call {Resource} with its key: curl -s {Url}/agents -H \"X-Api-Key: {Key}\" (the docs' commands read it with KEY=$(dotnet user-secrets list --project AppHost | sed -n 's/^Parameters:{Parameter} = //p'))")]
    private static partial void LogApiKey(ILogger logger, string resource, string url, string? key, string parameter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign in to {Resource} at {Url}")]
    private static partial void LogSignInLink(ILogger logger, string resource, string url);
}
