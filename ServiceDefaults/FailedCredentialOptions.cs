namespace Microsoft.Extensions.Hosting;

/// <summary>How refused credentials are throttled and logged (configuration section <c>FailedCredentials</c>).</summary>
public sealed class FailedCredentialOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "FailedCredentials";

    /// <summary>Refused credentials one client address may send per <see cref="Window"/> before it is answered 429. Default 10.</summary>
    public int PermitLimit { get; set; } = 10;

    /// <summary>The window <see cref="PermitLimit"/> counts in; an address is answered 429 until its window ends. Default 1 minute.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the refusals of one client address are logged, as one line with their count. Default 1 minute.</summary>
    public TimeSpan LogInterval { get; set; } = TimeSpan.FromMinutes(1);
}
