using NJsonSchema;

namespace Agent.Core.Tools;

/// <summary>Parses a tool's literal JSON Schema once, at construction.</summary>
public static class ToolSchemas
{
    public static JsonSchema Parse(string json) => JsonSchema.FromJsonAsync(json).GetAwaiter().GetResult();
}
