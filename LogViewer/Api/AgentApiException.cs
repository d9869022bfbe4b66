using System.Net;

namespace AgentAspire.LogViewer.Api;

/// <summary>The api refused a request; <see cref="Exception.Message"/> is the ProblemDetails <c>detail</c> (or title) to show.</summary>
public sealed class AgentApiException(HttpStatusCode status, string message) : Exception(message)
{
    /// <summary>The HTTP status the api answered with.</summary>
    public HttpStatusCode Status { get; } = status;
}
