using System.Text.Json.Serialization;

namespace Agent.Web.Api;

/// <summary>Every error the API returns: <c>{"error": "...", "details": [...]}</c>.</summary>
public sealed record ErrorResponse(
    string Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Details = null);
