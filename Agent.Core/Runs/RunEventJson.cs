using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Agent.Core.Policy;

namespace Agent.Core.Runs;

/// <summary>
/// The wire format of run events: <c>{"run_id","sequence","type","timestamp","data"}</c>, <c>data</c> written by the
/// record its <c>type</c> names. Writing happens once per event (<see cref="RunEvent.Json"/>); reading picks the
/// record by <c>type</c>.
/// </summary>
public static class RunEventJson
{
    /// <summary>The record behind each event type.</summary>
    public static readonly FrozenDictionary<string, Type> DataTypes = new Dictionary<string, Type>
    {
        [RunEventTypes.RunStarted] = typeof(RunStartedData),
        [RunEventTypes.Decision] = typeof(DecisionData),
        [RunEventTypes.ToolStarted] = typeof(ToolStartedData),
        [RunEventTypes.ToolCompleted] = typeof(ToolCompletedData),
        [ApprovalEvents.Requested] = typeof(ApprovalRequestedData),
        [ApprovalEvents.Decided] = typeof(ApprovalDecidedData),
        [RunEventTypes.RunFinished] = typeof(RunFinishedData),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>An event kept in short form leaves out the fields it has no value for.</summary>
    private static readonly JsonSerializerOptions ShortForm = new(JsonDefaults.Compact) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JsonDefaults.Compact.Encoder, SkipValidation = true };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>An event's UTF-8 JSON, and how many of its bytes are the <c>data</c> object.</summary>
    internal sealed record Encoded(byte[] Utf8, int DataBytes);

    internal static Encoded Encode(RunEvent runEvent)
    {
        // Every event is written once; the thread's scratch buffer is reused, and only the result is allocated.
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(1024);
        t_buffer = null;
        try
        {
            using var writer = new Utf8JsonWriter(buffer, WriterOptions);
            writer.WriteStartObject();
            writer.WriteString("run_id", runEvent.RunId);
            writer.WriteNumber("sequence", runEvent.Sequence);
            writer.WriteString("type", runEvent.Type);
            writer.WriteString("timestamp", runEvent.Timestamp.UtcDateTime.ToString(UtcTimestampConverter.Format, CultureInfo.InvariantCulture));
            writer.WritePropertyName("data");
            writer.Flush();
            var dataStart = buffer.WrittenCount;
            var data = runEvent.Data;
            JsonSerializer.Serialize(writer, data, data.GetType(), data.DetailOmitted ? ShortForm : JsonDefaults.Compact);
            writer.Flush();
            var dataBytes = buffer.WrittenCount - dataStart;
            writer.WriteEndObject();
            writer.Flush();
            return new Encoded(buffer.WrittenSpan.ToArray(), dataBytes);
        }
        finally
        {
            // A huge event once must not keep a huge buffer alive on this thread.
            if (buffer.Capacity <= 64 * 1024)
            {
                buffer.ResetWrittenCount();
                t_buffer = buffer;
            }
        }
    }

    /// <summary>Reads one event as written by <see cref="Encode"/>.</summary>
    public static RunEvent Read(ref Utf8JsonReader reader)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var type = root.GetProperty("type").GetString() ?? "";
        if (!DataTypes.TryGetValue(type, out var dataType))
        {
            throw new JsonException($"Unknown run event type '{type}'.");
        }
        var data = (RunEventData?)root.GetProperty("data").Deserialize(dataType, JsonDefaults.Compact)
            ?? throw new JsonException($"Run event '{type}' has no data.");
        var timestamp = DateTimeOffset.Parse(root.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return new RunEvent(root.GetProperty("run_id").GetString()!, root.GetProperty("sequence").GetInt32(), timestamp, data);
    }
}

/// <summary>Writes a run event's cached bytes wherever it is serialised (SignalR arguments, SSE data, status steps).</summary>
public sealed class RunEventJsonConverter : JsonConverter<RunEvent>
{
    public override RunEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => RunEventJson.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, RunEvent value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Json.Span, skipInputValidation: true);
}
