using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace AgentAspire.Agents.Chat;

/// <summary>
/// The price table, from configuration <c>Models:Prices:MODEL:Input|Output|CachedInput</c> (per million tokens, in one
/// currency of your choice). None by default: a model without a price costs 0, and its tokens are still counted.
/// </summary>
/// <example>
/// <code>
/// "Models": { "Prices": { "gpt-4o-mini": { "Input": 0.15, "Output": 0.60, "CachedInput": 0.075 } } }
/// </code>
/// </example>
public sealed class ModelPrices
{
    /// <summary>The configuration section of the table.</summary>
    public const string SectionName = "Models:Prices";

    /// <summary>The highest price per million tokens accepted, to catch a price written per token or with a slip of the decimal point.</summary>
    public const decimal MaxPricePerMillion = 100_000m;

    private static readonly string[] Fields = [nameof(ModelPrice.Input), nameof(ModelPrice.Output), nameof(ModelPrice.CachedInput)];

    private readonly Dictionary<string, ModelPrice> _prices;

    /// <summary>A table with the given prices, by model id (case-insensitive).</summary>
    public ModelPrices(IReadOnlyDictionary<string, ModelPrice> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        _prices = new Dictionary<string, ModelPrice>(prices, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>An empty table: every model costs 0.</summary>
    public static ModelPrices None { get; } = new(new Dictionary<string, ModelPrice>());

    /// <summary>The models with a price.</summary>
    public IReadOnlyCollection<string> Models => _prices.Keys;

    /// <summary>The price of <paramref name="model"/>, or null when the table has none.</summary>
    public ModelPrice? For(string? model) => model is not null && _prices.TryGetValue(model, out var price) ? price : null;

    /// <summary>Reads the table from <see cref="SectionName"/>, refusing a malformed entry with every problem named.</summary>
    /// <exception cref="InvalidOperationException">An entry is not a number, is negative or absurdly large, or names an unknown field.</exception>
    public static ModelPrices Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        var prices = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in configuration.GetSection(SectionName).GetChildren())
        {
            var path = $"{SectionName}:{model.Key}";
            if (model.Value is not null)
            {
                problems.Add($"{path} is '{model.Value}', but must be a section with {string.Join(", ", Fields)} (per million tokens).");
                continue;
            }

            foreach (var unknown in model.GetChildren().Where(field => !Fields.Contains(field.Key, StringComparer.OrdinalIgnoreCase)))
            {
                problems.Add($"{path}:{unknown.Key} is not a price field; expected {string.Join(", ", Fields)}.");
            }

            var input = Price(model, nameof(ModelPrice.Input), path, problems, required: true);
            var output = Price(model, nameof(ModelPrice.Output), path, problems, required: true);
            var cached = Price(model, nameof(ModelPrice.CachedInput), path, problems, required: false);
            if (input is { } i && output is { } o)
            {
                prices[model.Key] = new ModelPrice(i, o, cached);
            }
        }

        return problems.Count == 0
            ? new ModelPrices(prices)
            : throw new InvalidOperationException($"The model price table is malformed: {string.Join(" ", problems)}");
    }

    private static decimal? Price(IConfigurationSection model, string field, string path, List<string> problems, bool required)
    {
        var text = model[field];
        if (text is null)
        {
            if (required)
            {
                problems.Add($"{path}:{field} is missing.");
            }

            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var price))
        {
            problems.Add($"{path}:{field} is '{text}', which is not a number.");
            return null;
        }

        if (price is < 0 or > MaxPricePerMillion)
        {
            problems.Add($"{path}:{field} is {price}; a price per million tokens must be between 0 and {MaxPricePerMillion}.");
            return null;
        }

        return price;
    }
}
