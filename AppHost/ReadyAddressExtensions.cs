using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>Prints the addresses people open, next to the dashboard's, once a resource is ready.</summary>
internal static partial class ReadyAddressExtensions
{
    /// <summary>Logs every allocated endpoint of the resource with <paramref name="purpose"/> when it becomes ready.</summary>
    /// <example><code>builder.AddProject&lt;Projects.Api&gt;("api").WithReadyAddressPrinted("HTTP API, OpenAPI at /openapi/v1.json");</code></example>
    public static IResourceBuilder<ProjectResource> WithReadyAddressPrinted(this IResourceBuilder<ProjectResource> builder, string purpose) =>
        builder.OnResourceReady((resource, ready, _) =>
        {
            var logger = ready.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AgentAspire.AppHost");
            foreach (var endpoint in resource.GetEndpoints().Where(endpoint => endpoint.IsAllocated))
            {
                LogReady(logger, resource.Name, purpose, endpoint.Url);
            }

            return Task.CompletedTask;
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource} is ready at {Url} ({Purpose})")]
    private static partial void LogReady(ILogger logger, string resource, string purpose, string url);
}
