namespace AgentAspire.Fault.Tests;

/// <summary>
/// Prints a test's measured figures, one line: to the test's output and to <see cref="FilePath"/>, which
/// <c>eng/test.sh</c> prints after the tests (a passing test's output is not shown by the test runner).
/// </summary>
internal static class Figures
{
    /// <summary>The figures of the latest fault run, one line per test.</summary>
    public static string FilePath { get; } = Path.Combine(AppContext.BaseDirectory, "fault-figures.txt");

    private static readonly Lock Gate = new();

    public static void Print(string test, params (string Name, object Value)[] figures)
    {
        var line = $"[fault] {DateTime.UtcNow:yyyy-MM-dd HH:mm} {test}: " + string.Join("; ", figures.Select(figure => $"{figure.Name} {figure.Value}"));
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        lock (Gate)
        {
            File.AppendAllText(FilePath, line + Environment.NewLine);
        }
    }
}
