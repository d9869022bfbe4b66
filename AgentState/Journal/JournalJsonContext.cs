using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentAspire.AgentState.Journal;

/// <summary>The JSON of journal entries, generated at build time.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JournalEntry))]
internal sealed partial class JournalJsonContext : JsonSerializerContext;
