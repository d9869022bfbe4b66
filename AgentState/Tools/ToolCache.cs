using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using AgentAspire.AgentState.Scripting;

namespace AgentAspire.AgentState.Tools;

/// <summary>
/// Tool results cached in Valkey STRINGs with a TTL (<c>tool:cache:TOOL:{SHA256}</c>). A hit costs one round trip:
/// a script that reads the entry or, when it is missing, takes the stampede lock (<c>SET NX PX</c>) in the same
/// atomic step. The lock is a short lease that its holder renews while the tool runs; the holder stores the result
/// with its TTL and releases the lock in one script. The others wait for that value; when the holder dies its lock
/// expires within <see cref="AgentStateOptions.ToolLockLease"/>, and the next waiter takes it over at once.
/// Only results of successful calls are cached; an empty or falsy result is a hit like any other.
/// </summary>
public sealed partial class ToolCache(IConnectionMultiplexer connection, IOptions<AgentStateOptions> options, TimeProvider timeProvider, ILogger<ToolCache> logger)
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(50);
    private long _hits;
    private long _misses;

    /// <summary>Hits and misses of this instance.</summary>
    public ToolCacheStatistics Statistics => new(Interlocked.Read(ref _hits), Interlocked.Read(ref _misses));

    /// <summary>Returns whether <paramref name="tool"/> is a usable tool name: 1 to 64 of <c>[a-z0-9_.-]</c>.</summary>
    public static bool IsValidToolName([NotNullWhen(true)] string? tool) => tool is not null && ToolNamePattern().IsMatch(tool);

    /// <summary>The cache key of a call: <c>tool:cache:TOOL:{SHA256 of the canonical arguments}</c>.</summary>
    public static string KeyFor(string tool, string argumentsJson)
    {
        ThrowIfInvalidToolName(tool);
        return AgentKeys.ToolCache(tool, CanonicalJson.Hash(argumentsJson));
    }

    /// <summary>Returns the cached result of <paramref name="tool"/> for these arguments, or runs <paramref name="compute"/> once and caches it.</summary>
    /// <param name="tool">The tool name.</param>
    /// <param name="argumentsJson">The arguments as JSON; property order does not matter.</param>
    /// <param name="ttl">How long the result stays cached (at least one second).</param>
    /// <param name="compute">Runs the tool and returns its result as JSON. An exception is passed on and nothing is cached.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <example>
    /// <code>
    /// var result = await cache.GetOrComputeAsync("web_search", """{"query":"valkey streams"}""", TimeSpan.FromMinutes(5),
    ///     ct => search.RunAsync("valkey streams", ct));
    /// </code>
    /// </example>
    public async Task<ToolCacheResult> GetOrComputeAsync(string tool, string argumentsJson, TimeSpan ttl, Func<CancellationToken, Task<string>> compute, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalidToolName(tool);
        ArgumentNullException.ThrowIfNull(compute);
        if (ttl < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "A tool result must be cached for at least one second.");
        }

        var hash = CanonicalJson.Hash(argumentsJson);
        var key = AgentKeys.ToolCache(tool, hash);
        var lockKey = AgentKeys.ToolLock(tool, hash);
        var database = connection.GetDatabase();
        var lockLease = options.Value.ToolLockLease;

        var waited = false;
        var delay = FirstPoll;
        while (true)
        {
            // One round trip answers a hit, or makes this caller the one that computes (no window between the two).
            var token = Guid.NewGuid().ToString("N");
            var reply = (RedisResult[])(await AgentScripts.GetOrLock.EvaluateAsync(database, [key, lockKey], [token, (long)lockLease.TotalMilliseconds]).ConfigureAwait(false))!;
            switch ((string?)reply[0])
            {
                case "hit" when ToolCacheEnvelope.ReadResult((string)reply[1]!) is { } cached:
                    return Hit(cached, key);
                case "locked":
                    if (waited)
                    {
                        // The holder let go without a result: it failed, or it died and its lock lease ran out.
                        LogLockTakenOver(logger, tool, key);
                    }

                    var computed = await ComputeAsync(database, tool, key, lockKey, token, ttl, compute, cancellationToken).ConfigureAwait(false);
                    return computed with { LockTakenOver = waited };
            }

            waited = true;

            // Someone else computes it: wait for the value with a short, growing poll (no blocking command).
            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestPoll.Ticks));
        }
    }

    // Keeps the stampede lock alive while the tool runs, so it can be short and a dead holder's lock expires soon.
    private async Task RenewLockAsync(IDatabase database, string lockKey, string token, CancellationToken cancellationToken)
    {
        var lease = options.Value.ToolLockLease;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(lease / 3, timeProvider, cancellationToken).ConfigureAwait(false);
                await AgentScripts.RenewLease.EvaluateAsync(database, [lockKey], [token, (long)lease.TotalMilliseconds]).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex) when (ValkeyFaults.IsInfrastructure(ex))
            {
                // The next tick tries again; at worst the lock expires and a waiter computes the result too.
            }
        }
    }

    private async Task<ToolCacheResult> ComputeAsync(IDatabase database, string tool, string key, string lockKey, string token, TimeSpan ttl, Func<CancellationToken, Task<string>> compute, CancellationToken cancellationToken)
    {
        string result;
        using (var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var renewal = RenewLockAsync(database, lockKey, token, renewing.Token);
            try
            {
                result = await compute(cancellationToken).ConfigureAwait(false);
                using var _ = JsonDocument.Parse(result);
            }
            catch
            {
                await renewing.CancelAsync().ConfigureAwait(false);
                await renewal.ConfigureAwait(false);
                await AgentScripts.DeleteIfOwner.EvaluateAsync(database, [lockKey], [token]).ConfigureAwait(false);
                throw;
            }

            await renewing.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
        }

        var envelope = ToolCacheEnvelope.Write(tool, result, timeProvider.GetUtcNow());
        await AgentScripts.FillCache.EvaluateAsync(database, [key, lockKey], [envelope, (long)Math.Ceiling(ttl.TotalSeconds), token]).ConfigureAwait(false);
        Interlocked.Increment(ref _misses);
        AgentTelemetry.ToolCacheMisses.Add(1, new KeyValuePair<string, object?>(AgentTelemetry.ToolNameAttribute, tool));
        return new ToolCacheResult(result, CacheHit: false, key);
    }

    private ToolCacheResult Hit(string resultJson, string key)
    {
        Interlocked.Increment(ref _hits);
        AgentTelemetry.ToolCacheHits.Add(1);
        return new ToolCacheResult(resultJson, CacheHit: true, key);
    }

    private static void ThrowIfInvalidToolName(string tool)
    {
        if (!IsValidToolName(tool))
        {
            throw new ArgumentException($"The tool name '{tool}' is not valid: use 1 to 64 characters of a-z, 0-9, '_', '.' or '-'.", nameof(tool));
        }
    }

    [GeneratedRegex(@"^[a-z0-9_.-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ToolNamePattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Took over the stampede lock of tool {Tool} for {Key}: its holder let go without a result (it failed, or died and its lock expired); running the tool here.")]
    private static partial void LogLockTakenOver(ILogger logger, string tool, string key);
}
