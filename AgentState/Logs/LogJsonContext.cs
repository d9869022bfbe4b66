using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentAspire.AgentState.Logs;

/// <summary>The one serializer context of the activity log's details: camelCase, absent instead of null, strict when reading.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(QueuedDetails))]
[JsonSerializable(typeof(ClaimedDetails))]
[JsonSerializable(typeof(StepCommittedDetails))]
[JsonSerializable(typeof(ToolCallDetails))]
[JsonSerializable(typeof(ModelCallDetails))]
[JsonSerializable(typeof(JournalMismatchDetails))]
[JsonSerializable(typeof(DivergedDetails))]
[JsonSerializable(typeof(StepRetryDetails))]
[JsonSerializable(typeof(ReleasedDetails))]
[JsonSerializable(typeof(WaitingDetails))]
[JsonSerializable(typeof(DecisionDetails))]
[JsonSerializable(typeof(CompleteDetails))]
[JsonSerializable(typeof(FailedDetails))]
[JsonSerializable(typeof(CancelledDetails))]
public sealed partial class LogJsonContext : JsonSerializerContext;
