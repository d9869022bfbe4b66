namespace AgentAspire.Agents.Research.Tools;

/// <summary>One document of the built-in search corpus.</summary>
/// <param name="Title">The document's title.</param>
/// <param name="Url">A docs-style path, for example <c>docs/valkey/streams</c>.</param>
/// <param name="Text">A few sentences of content.</param>
public sealed record CorpusDocument(string Title, string Url, string Text);
