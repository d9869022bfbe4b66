using AgentAspire.Agents.Text;

namespace AgentAspire.Agents.Research.Tools;

/// <summary>Ranks documents for a query with Okapi BM25 over stemmed, stop-word-free terms.</summary>
internal sealed class Bm25Index
{
    // The usual defaults: term frequency saturates around k1, b weighs length normalisation.
    private const double K1 = 1.2;
    private const double B = 0.75;

    private readonly IReadOnlyList<CorpusDocument> _documents;
    private readonly Dictionary<string, int>[] _termCounts;
    private readonly int[] _lengths;
    private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);
    private readonly double _averageLength;

    public Bm25Index(IReadOnlyList<CorpusDocument> documents)
    {
        _documents = documents;
        _termCounts = new Dictionary<string, int>[documents.Count];
        _lengths = new int[documents.Count];
        for (var i = 0; i < documents.Count; i++)
        {
            // The title counts twice: a document titled after the query's subject is about it, not just mentioning it.
            var terms = Words.Terms($"{documents[i].Title}. {documents[i].Title}. {documents[i].Text}").ToArray();
            _lengths[i] = terms.Length;
            _termCounts[i] = terms.GroupBy(term => term, StringComparer.Ordinal)
                .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
            foreach (var term in _termCounts[i].Keys)
            {
                _documentFrequency[term] = _documentFrequency.GetValueOrDefault(term) + 1;
            }
        }

        _averageLength = documents.Count == 0 ? 0 : _lengths.Average();
    }

    /// <summary>The best documents for the query, highest score first; documents sharing no term are left out.</summary>
    public IReadOnlyList<(CorpusDocument Document, double Score)> Search(string query, int limit)
    {
        var queryTerms = Words.Terms(query).Distinct(StringComparer.Ordinal).ToArray();
        return Enumerable.Range(0, _documents.Count)
            .Select(i => (Document: _documents[i], Score: Score(i, queryTerms)))
            .Where(hit => hit.Score > 0)
            .OrderByDescending(hit => hit.Score)
            .ThenBy(hit => hit.Document.Url, StringComparer.Ordinal)
            .Take(limit)
            .ToArray();
    }

    private double Score(int document, IEnumerable<string> queryTerms)
    {
        var score = 0.0;
        foreach (var term in queryTerms)
        {
            if (!_termCounts[document].TryGetValue(term, out var frequency))
            {
                continue;
            }

            var documentFrequency = _documentFrequency[term];
            var idf = Math.Log(1 + ((_documents.Count - documentFrequency + 0.5) / (documentFrequency + 0.5)));
            var lengthRatio = _lengths[document] / _averageLength;
            score += idf * (frequency * (K1 + 1)) / (frequency + (K1 * (1 - B + (B * lengthRatio))));
        }

        return score;
    }
}
