using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the <see cref="FailedCredentialThrottle"/> of a service that checks credentials.</summary>
public static class FailedCredentialExtensions
{
    /// <summary>
    /// Adds the throttle and its options, bound to the section <c>FailedCredentials</c>
    /// (for example <c>FailedCredentials__PermitLimit=20</c>).
    /// </summary>
    /// <example>
    /// <code lang="csharp">
    /// builder.AddFailedCredentialThrottle();
    /// </code>
    /// </example>
    public static IHostApplicationBuilder AddFailedCredentialThrottle(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<FailedCredentialOptions>()
            .Bind(builder.Configuration.GetSection(FailedCredentialOptions.SectionName))
            .Validate(options => options.PermitLimit > 0 && options.Window > TimeSpan.Zero && options.LogInterval > TimeSpan.Zero,
                "FailedCredentials: PermitLimit, Window and LogInterval must be positive.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<FailedCredentialThrottle>();
        return builder;
    }
}
