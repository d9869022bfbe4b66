using System.Text;

namespace AgentAspire.App.Tests.Telemetry;

/// <summary>
/// A span as an OTLP exporter sent it, with its string, bool and integer attributes, the service that sent it
/// (<c>service.name</c>) and the instrumentation scope (the ActivitySource) that made it.
/// </summary>
internal sealed record ExportedSpan(string TraceId, string SpanId, string ParentSpanId, string Name, IReadOnlyDictionary<string, object> Attributes)
{
    /// <summary>The <c>service.name</c> of the resource that exported the span.</summary>
    public string Service { get; init; } = "";

    /// <summary>The instrumentation scope's name: the ActivitySource the span came from.</summary>
    public string Scope { get; init; } = "";

    /// <summary>Reads every span of an OTLP <c>ExportTraceServiceRequest</c>.</summary>
    public static List<ExportedSpan> ReadExportRequest(ReadOnlySpan<byte> request)
    {
        // ExportTraceServiceRequest.resource_spans(1) → ResourceSpans.scope_spans(2) → ScopeSpans.spans(2);
        // ResourceSpans.resource(1) → Resource.attributes(1); ScopeSpans.scope(1) → InstrumentationScope.name(1)
        var spans = new List<ExportedSpan>();
        foreach (var resourceSpans in Fields(request, 1))
        {
            var service = Fields(resourceSpans, 1).SelectMany(resource => Fields(resource, 1))
                .Select(attribute => ReadKeyValue(attribute))
                .FirstOrDefault(attribute => attribute.Key == "service.name").Value as string ?? "";
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                var scope = Fields(scopeSpans, 1).SelectMany(instrumentationScope => Fields(instrumentationScope, 1))
                    .Select(name => Encoding.UTF8.GetString(name)).FirstOrDefault() ?? "";
                foreach (var span in Fields(scopeSpans, 2))
                {
                    spans.Add(ReadSpan(span) with { Service = service, Scope = scope });
                }
            }
        }

        return spans;
    }

    private static ExportedSpan ReadSpan(byte[] span)
    {
        string traceId = "", spanId = "", parentSpanId = "", name = "";
        var attributes = new Dictionary<string, object>();
        var reader = new ProtobufReader(span);
        while (!reader.AtEnd)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case 1 when wireType == 2: traceId = Convert.ToHexStringLower(reader.ReadBytes()); break;
                case 2 when wireType == 2: spanId = Convert.ToHexStringLower(reader.ReadBytes()); break;
                case 4 when wireType == 2: parentSpanId = Convert.ToHexStringLower(reader.ReadBytes()); break;
                case 5 when wireType == 2: name = Encoding.UTF8.GetString(reader.ReadBytes()); break;
                case 9 when wireType == 2:
                    var (key, value) = ReadKeyValue(reader.ReadBytes());
                    if (value is not null)
                    {
                        attributes[key] = value;
                    }

                    break;
                default: reader.Skip(wireType); break;
            }
        }

        return new ExportedSpan(traceId, spanId, parentSpanId, name, attributes);
    }

    private static (string Key, object? Value) ReadKeyValue(ReadOnlySpan<byte> keyValue)
    {
        // KeyValue.key(1), KeyValue.value(2) → AnyValue.string_value(1) | bool_value(2) | int_value(3)
        string key = "";
        object? value = null;
        var reader = new ProtobufReader(keyValue);
        while (!reader.AtEnd)
        {
            var (field, wireType) = reader.ReadTag();
            if (field == 1 && wireType == 2)
            {
                key = Encoding.UTF8.GetString(reader.ReadBytes());
            }
            else if (field == 2 && wireType == 2)
            {
                var any = new ProtobufReader(reader.ReadBytes());
                while (!any.AtEnd)
                {
                    var (kind, anyWireType) = any.ReadTag();
                    value = kind switch
                    {
                        1 when anyWireType == 2 => Encoding.UTF8.GetString(any.ReadBytes()),
                        2 when anyWireType == 0 => any.ReadVarint() != 0,
                        3 when anyWireType == 0 => (long)any.ReadVarint(),
                        _ => Skip(ref any, anyWireType),
                    };
                }
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return (key, value);
    }

    private static object? Skip(ref ProtobufReader reader, int wireType)
    {
        reader.Skip(wireType);
        return null;
    }

    private static List<byte[]> Fields(ReadOnlySpan<byte> message, int number)
    {
        var values = new List<byte[]>();
        var reader = new ProtobufReader(message);
        while (!reader.AtEnd)
        {
            var (field, wireType) = reader.ReadTag();
            if (field == number && wireType == 2)
            {
                values.Add(reader.ReadBytes().ToArray());
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return values;
    }
}
