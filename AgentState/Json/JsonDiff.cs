using System.Text.Json;

namespace AgentAspire.AgentState.Json;

/// <summary>
/// The structural differences of two JSON values: objects by property (order does not matter), arrays by position,
/// anything else by value. Numbers compare by value (<c>1.0</c> equals <c>1</c>).
/// </summary>
public static class JsonDiff
{
    /// <summary>The most differences reported for one pair; the rest are counted in none (the first ones say where).</summary>
    public const int MaxDifferences = 100;

    /// <summary>Where <paramref name="a"/> and <paramref name="b"/> differ, at most <see cref="MaxDifferences"/>, in document order.</summary>
    public static IReadOnlyList<JsonDifference> Between(JsonElement a, JsonElement b)
    {
        var differences = new List<JsonDifference>();
        Compare("$", a, b, differences);
        return differences;
    }

    private static void Compare(string path, JsonElement a, JsonElement b, List<JsonDifference> differences)
    {
        if (differences.Count >= MaxDifferences)
        {
            return;
        }

        if (a.ValueKind == JsonValueKind.Object && b.ValueKind == JsonValueKind.Object)
        {
            var second = b.EnumerateObject().GroupBy(property => property.Name, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Last().Value, StringComparer.Ordinal);
            foreach (var property in a.EnumerateObject())
            {
                var at = $"{path}.{property.Name}";
                if (second.Remove(property.Name, out var other))
                {
                    Compare(at, property.Value, other, differences);
                }
                else
                {
                    Add(differences, at, property.Value, null);
                }
            }

            foreach (var (name, value) in second)
            {
                Add(differences, $"{path}.{name}", null, value);
            }

            return;
        }

        if (a.ValueKind == JsonValueKind.Array && b.ValueKind == JsonValueKind.Array)
        {
            var (first, other) = (a.EnumerateArray().ToList(), b.EnumerateArray().ToList());
            for (var i = 0; i < Math.Max(first.Count, other.Count); i++)
            {
                Add(differences, $"{path}[{i}]", i < first.Count ? first[i] : null, i < other.Count ? other[i] : null, compare: i < first.Count && i < other.Count);
            }

            return;
        }

        if (!ScalarEquals(a, b))
        {
            Add(differences, path, a, b);
        }
    }

    private static void Add(List<JsonDifference> differences, string path, JsonElement? a, JsonElement? b, bool compare = false)
    {
        if (compare && a is { } first && b is { } second)
        {
            Compare(path, first, second, differences);
        }
        else if (differences.Count < MaxDifferences)
        {
            differences.Add(new JsonDifference(path, a?.Clone(), b?.Clone()));
        }
    }

    private static bool ScalarEquals(JsonElement a, JsonElement b) =>
        a.ValueKind == b.ValueKind && a.ValueKind switch
        {
            JsonValueKind.Number => a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y) ? x == y : a.GetRawText() == b.GetRawText(),
            JsonValueKind.String => a.GetString() == b.GetString(),
            JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null or JsonValueKind.Undefined => true,
            _ => false,
        };
}
