namespace AgentAspire.App.Tests;

/// <summary>
/// Builds the AppHost's application model without starting anything.
/// </summary>
internal static class AppModel
{
    public static async Task<IDistributedApplicationTestingBuilder> BuildAsync(params string[] args) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.AgentAspire_AppHost>(args, TestContext.Current.CancellationToken);

    public static T Resource<T>(this IDistributedApplicationTestingBuilder builder, string name) where T : IResource =>
        Assert.IsType<T>(Assert.Single(builder.Resources, r => r.Name == name), exactMatch: false);
}
