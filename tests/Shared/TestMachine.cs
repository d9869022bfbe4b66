namespace AgentAspire.Tests;

/// <summary>What a test asks of the machine and of the checkout it was built from.</summary>
internal static class TestMachine
{
    /// <summary>The root of the checkout: the first folder above the test's output that holds <c>eng/run.sh</c>.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "eng", "run.sh")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The checkout's root (the folder with eng/run.sh) is not above the test's output folder.");
    }
}
