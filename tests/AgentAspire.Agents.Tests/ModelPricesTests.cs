using AgentAspire.Agents.Chat;
using Microsoft.Extensions.Configuration;

namespace AgentAspire.Agents.Tests;

public sealed class ModelPricesTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(pair => KeyValuePair.Create(pair.Key, (string?)pair.Value))).Build();

    [Fact]
    public void No_table_prices_every_model_at_nothing()
    {
        var prices = ModelPrices.Read(Settings());

        Assert.Empty(prices.Models);
        Assert.Null(prices.For("gpt-4o"));
    }

    [Fact]
    public void A_price_per_million_tokens_is_a_price_in_millionths_per_token_rounded_up()
    {
        var prices = ModelPrices.Read(Settings(
            ("Models:Prices:gpt-4o-mini:Input", "0.15"),
            ("Models:Prices:gpt-4o-mini:Output", "0.60"),
            ("Models:Prices:gpt-4o-mini:CachedInput", "0.075")));

        var price = Assert.IsType<ModelPrice>(prices.For("GPT-4o-mini"));

        // 1000 in (400 cached), 100 out: 600 × 0.15 + 400 × 0.075 + 100 × 0.6 = 90 + 30 + 60.
        Assert.Equal(180, price.CostMicros(1000, 100, 400));
        Assert.Equal(1, price.CostMicros(1, 0, 0));
        Assert.Equal(new ModelPrice(2, 10).CostMicros(10, 1, 0), new ModelPrice(2, 10, CachedInput: 2).CostMicros(10, 1, 5));
    }

    [Theory]
    [InlineData("Models:Prices:m:Input", "cheap", "Models:Prices:m:Input is 'cheap', which is not a number.")]
    [InlineData("Models:Prices:m:Input", "-1", "Models:Prices:m:Input is -1; a price per million tokens must be between 0 and 100000.")]
    [InlineData("Models:Prices:m:Input", "1e9", "Models:Prices:m:Input is '1e9', which is not a number.")]
    [InlineData("Models:Prices:m:Input", "250000", "must be between 0 and 100000")]
    [InlineData("Models:Prices:m:Inptu", "1", "Models:Prices:m:Inptu is not a price field; expected Input, Output, CachedInput.")]
    [InlineData("Models:Prices:m", "0.5", "Models:Prices:m is '0.5', but must be a section with Input, Output, CachedInput")]
    public void A_malformed_entry_is_refused_at_start_with_its_path_and_what_is_wrong(string key, string value, string message)
    {
        // The entry under test, beside a well-formed price of the same model.
        var pairs = new Dictionary<string, string> { ["Models:Prices:m:Input"] = "1", ["Models:Prices:m:Output"] = "1" };
        if (key == "Models:Prices:m")
        {
            pairs.Clear();
        }

        pairs[key] = value;
        var settings = Settings(pairs.Select(pair => (pair.Key, pair.Value)).ToArray());

        var error = Assert.Throws<InvalidOperationException>(() => ModelPrices.Read(settings));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("The model price table is malformed:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_price_without_its_output_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ModelPrices.Read(Settings(("Models:Prices:m:Input", "1"))));

        Assert.Contains("Models:Prices:m:Output is missing.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_worker_refuses_to_start_with_a_malformed_table()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();

        var error = Assert.Throws<InvalidOperationException>(() => services.AddAgentChatClient(Settings(("Models:Prices:m:Input", "x"), ("Models:Prices:m:Output", "1"))));

        Assert.Contains("Models:Prices:m:Input is 'x'", error.Message, StringComparison.Ordinal);
    }
}
