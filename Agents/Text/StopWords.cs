namespace AgentAspire.Agents.Text;

/// <summary>English words too common to tell texts apart, left out of keywords and search terms.</summary>
internal static class StopWords
{
    private static readonly HashSet<string> Words = new(StringComparer.Ordinal)
    {
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
        "can", "could", "did", "do", "does", "doing", "down", "during", "each", "either", "else", "ever", "every",
        "few", "for", "from", "further", "get", "gets", "got", "had", "has", "have", "having", "he", "her", "here",
        "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just",
        "let", "like", "many", "may", "me", "might", "more", "most", "much", "must", "my", "no", "nor", "not", "now",
        "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours", "out", "over", "own",
        "please", "question", "same", "she", "should", "so", "some", "such", "tell",
        "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through",
        "to", "too", "under", "until", "up", "us", "use", "used", "uses", "using", "very",
        "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would",
        "you", "your", "yours",
    };

    public static bool Contains(string lowercaseWord) => Words.Contains(lowercaseWord);
}
