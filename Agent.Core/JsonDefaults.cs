using System.Text.Encodings.Web;
using System.Text.Json;

namespace Agent.Core;

/// <summary>One place for the JSON settings shared by tools, audit and API.</summary>
public static class JsonDefaults
{
    /// <summary>snake_case, compact, readable non-ASCII: the wire and audit format.</summary>
    public static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new UtcTimestampConverter() },
    };

    /// <summary>Applies the wire format to another options instance (the host's HTTP JSON options).</summary>
    public static void ApplyTo(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = Compact.PropertyNamingPolicy;
        options.Encoder = Compact.Encoder;
        options.Converters.Add(new UtcTimestampConverter());
    }
}
