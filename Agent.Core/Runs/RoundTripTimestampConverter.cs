using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agent.Core.Runs;

/// <summary>A timestamp with its offset and full precision (<c>"O"</c>), as approval events have always carried <c>expires_at</c>.</summary>
public sealed class RoundTripTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("O", CultureInfo.InvariantCulture));
}
