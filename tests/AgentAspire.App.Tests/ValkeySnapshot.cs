using System.Globalization;
namespace AgentAspire.App.Tests;

/// <summary>
/// What a request that must write nothing could have changed: the key set, the run index, every run's checkpoint time
/// and every log's length.
/// </summary>
public sealed record ValkeySnapshot(HashSet<string> Keys, List<string> Index, SortedDictionary<string, string> Runs)
{
    public static async Task<ValkeySnapshot> TakeAsync(AppFixture fixture)
    {
        var keys = await fixture.KeysAsync();
        var index = (await fixture.Database.SortedSetRangeByRankWithScoresAsync("agent:index"))
            .Select(entry => $"{entry.Element}={entry.Score}")
            .ToList();
        var runs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys.Where(k => k.StartsWith("agent:state:", StringComparison.Ordinal)))
        {
            runs[key] = (await fixture.Database.HashGetAsync(key, "updated_at")).ToString();
        }

        foreach (var key in keys.Where(k => k.StartsWith("agent:log:{", StringComparison.Ordinal)))
        {
            runs[key] = (await fixture.Database.StreamLengthAsync(key)).ToString(CultureInfo.InvariantCulture);
        }

        return new ValkeySnapshot(keys, index, runs);
    }

    public void AssertUnchanged(ValkeySnapshot after)
    {
        Assert.Empty(after.Keys.Except(Keys));
        // Cached tool results expire by themselves; nothing else may go.
        Assert.DoesNotContain(Keys.Except(after.Keys), key => !key.StartsWith("tool:cache:", StringComparison.Ordinal));
        Assert.Equal(Index, after.Index);
        Assert.Equal(Runs, after.Runs);
    }
}
