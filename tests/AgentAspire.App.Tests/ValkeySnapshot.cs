using System.Globalization;
namespace AgentAspire.App.Tests;

/// <summary>
/// What a request that must write nothing could have changed: the key set, the run indexes, every run's checkpoint time
/// and every log's length.
/// </summary>
public sealed record ValkeySnapshot(HashSet<string> Keys, List<string> Index, SortedDictionary<string, string> Runs)
{
    public static async Task<ValkeySnapshot> TakeAsync(AppFixture fixture)
    {
        var keys = await fixture.KeysAsync();
        var index = new List<string>();
        foreach (var key in keys.Where(k => k.StartsWith("agent:index:", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            index.AddRange((await fixture.Database.SortedSetRangeByRankWithScoresAsync(key))
                .Select(entry => $"{key} {entry.Element}={entry.Score}"));
        }

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

    /// <summary>Whether <paramref name="other"/> holds the same keys, index entries, checkpoint times and log lengths.</summary>
    public bool Matches(ValkeySnapshot other) =>
        Keys.SetEquals(other.Keys) && Index.SequenceEqual(other.Index) && Runs.SequenceEqual(other.Runs);

    public void AssertUnchanged(ValkeySnapshot after)
    {
        Assert.Empty(after.Keys.Except(Keys));
        // Cached tool results expire by themselves; nothing else may go.
        Assert.DoesNotContain(Keys.Except(after.Keys), key => !key.StartsWith("tool:cache:", StringComparison.Ordinal));
        Assert.Equal(Index, after.Index);
        Assert.Equal(Runs, after.Runs);
    }
}
