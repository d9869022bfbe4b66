using AgentAspire.Agents.Text;

namespace AgentAspire.Agents.Research.Tools;

/// <summary>Finds the Valkey and agent terms a text mentions and returns their definitions from a built-in glossary.</summary>
public sealed class GlossaryTool : AgentTool<GlossaryArgs, GlossaryResult>
{
    /// <summary>The tool's name.</summary>
    public const string ToolName = "lookup_glossary";

    private static readonly Lazy<GlossaryEntry[]> Glossary = new(() => EmbeddedJson.Read<GlossaryEntry[]>("glossary.json"));

    /// <inheritdoc />
    public override string Name => ToolName;

    /// <inheritdoc />
    public override string Description => "Finds the AgentAspire terms a text uses and returns their definitions.";

    /// <summary>24 hours: the glossary is static.</summary>
    public override TimeSpan Ttl => TimeSpan.FromHours(24);

    /// <summary>Looks up the glossary terms a text mentions, singular or plural, ignoring case.</summary>
    /// <param name="args">The text.</param>
    /// <returns>The entries found, in order of first occurrence.</returns>
    /// <exception cref="ToolArgumentException">The text is missing.</exception>
    public static GlossaryResult Lookup(GlossaryArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Text is null)
        {
            throw new ToolArgumentException(ToolName, "text is required.");
        }

        // Compare stemmed word sequences so "streams" finds "stream" and "hash tags" finds "hash tag".
        var textTerms = Words.Split(args.Text).Select(word => Words.Stem(word.ToLowerInvariant())).ToArray();
        var entries = Glossary.Value
            .Select(entry => (entry, position: FirstPosition(textTerms, TermWords(entry.Term))))
            .Where(found => found.position >= 0)
            .OrderBy(found => found.position)
            .ThenBy(found => found.entry.Term, StringComparer.Ordinal)
            .Select(found => found.entry)
            .ToArray();
        return new GlossaryResult(entries);
    }

    /// <inheritdoc />
    protected override Task<GlossaryResult> InvokeAsync(GlossaryArgs args, ToolInvocation invocation, CancellationToken cancellationToken) =>
        Task.FromResult(Lookup(args));

    private static string[] TermWords(string term) =>
        Words.Split(term).Select(word => Words.Stem(word.ToLowerInvariant())).ToArray();

    private static int FirstPosition(string[] text, string[] term)
    {
        if (term.Length == 0)
        {
            return -1;
        }

        for (var start = 0; start + term.Length <= text.Length; start++)
        {
            if (text.AsSpan(start, term.Length).SequenceEqual(term))
            {
                return start;
            }
        }

        return -1;
    }
}
