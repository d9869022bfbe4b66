using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Slows down guessing of a key: each client address may send <see cref="FailedCredentialOptions.PermitLimit"/>
/// refused credentials per window (a fixed-window rate limiter, partitioned by address); past that it is answered 429
/// without its credential being checked, until the window ends. Only refusals count, and only those of the address
/// that sent them, so a right key from another address is never locked out. Refusals are logged once per address per
/// <see cref="FailedCredentialOptions.LogInterval"/> with their count, not once per request.
/// </summary>
public sealed partial class FailedCredentialThrottle : IDisposable
{
    // Addresses followed for the log at once; past this, refusals of new addresses are only counted in one line.
    private const int MaxAddressesLogged = 10_000;
    private const string Others = "other addresses";

    /// <summary>The log category of the refusal lines.</summary>
    public const string LogCategory = "AgentAspire.Security.FailedCredentials";

    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly ConcurrentDictionary<string, Tally> _tallies = new(StringComparer.Ordinal);
    private readonly ITimer _flush;
    private readonly ILogger _logger;
    private readonly TimeSpan _logInterval;

    /// <summary>Creates the throttle; its log timer runs until it is disposed.</summary>
    public FailedCredentialThrottle(IOptions<FailedCredentialOptions> options, TimeProvider clock, ILoggerFactory loggers)
    {
        var settings = options.Value;
        // Under the app's own category, which the services log at Information (the framework's only from Warning).
        _logger = loggers.CreateLogger(LogCategory);
        _logInterval = settings.LogInterval;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = settings.PermitLimit, Window = settings.Window, QueueLimit = 0, AutoReplenishment = true }));
        _flush = clock.CreateTimer(_ => Flush(), null, settings.LogInterval, settings.LogInterval);
    }

    /// <summary>
    /// True when <paramref name="client"/> has used up its refusals: answer 429 with <c>Retry-After</c>
    /// <paramref name="retryAfter"/> and do not check its credential. Counts as a refusal in the log.
    /// </summary>
    public bool IsThrottled(IPAddress? client, string what, out TimeSpan retryAfter)
    {
        // Zero permits asks whether any are left without taking one.
        using var lease = _limiter.AttemptAcquire(Key(client), 0);
        if (lease.IsAcquired)
        {
            retryAfter = TimeSpan.Zero;
            return false;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
        Note(client, what, throttled: true);
        return true;
    }

    /// <summary>Counts a refused credential of <paramref name="client"/> (<paramref name="what"/> names it in the log: "API key").</summary>
    public void Refused(IPAddress? client, string what)
    {
        using var _ = _limiter.AttemptAcquire(Key(client));
        Note(client, what, throttled: false);
    }

    private static string Key(IPAddress? client) => client?.ToString() ?? "unknown";

    private void Note(IPAddress? client, string what, bool throttled)
    {
        var address = Key(client);
        if (!_tallies.TryGetValue(address, out var tally))
        {
            tally = _tallies.Count < MaxAddressesLogged ? _tallies.GetOrAdd(address, _ => new Tally(what)) : _tallies.GetOrAdd(Others, _ => new Tally(what));
        }

        lock (tally)
        {
            if (!tally.Logged)
            {
                // The first refusal of an interval is told at once; the rest wait for the interval's end.
                tally.Logged = true;
                LogFirstRefusal(_logger, what, address, _logInterval.TotalSeconds);
                if (throttled)
                {
                    tally.Throttled++;
                }

                return;
            }

            tally.Refused++;
            if (throttled)
            {
                tally.Throttled++;
            }
        }
    }

    private void Flush()
    {
        foreach (var (address, tally) in _tallies)
        {
            lock (tally)
            {
                if (tally.Refused == 0)
                {
                    // Quiet for a whole interval: its next refusal is told at once again.
                    _tallies.TryRemove(address, out _);
                    continue;
                }

                LogRefusals(_logger, tally.Refused, tally.What, address, _logInterval.TotalSeconds, tally.Throttled);
                tally.Refused = 0;
                tally.Throttled = 0;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _flush.Dispose();
        Flush();
        _limiter.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused an {What} from {Client}; further refusals from it are logged as one line every {Seconds} s")]
    private static partial void LogFirstRefusal(ILogger logger, string what, string client, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Count} more {What} attempts from {Client} in the last {Seconds} s ({Throttled} of them answered 429 without being checked)")]
    private static partial void LogRefusals(ILogger logger, int count, string what, string client, double seconds, int throttled);

    private sealed class Tally(string what)
    {
        public string What { get; } = what;

        public bool Logged { get; set; }

        public int Refused { get; set; }

        public int Throttled { get; set; }
    }
}
