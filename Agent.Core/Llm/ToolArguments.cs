using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agent.Core.Tools;
using Microsoft.SemanticKernel;
using NJsonSchema;

namespace Agent.Core.Llm;

/// <summary>
/// Turns a model's tool-call arguments into the JSON object the executor validates. Semantic Kernel's OpenAI connector
/// hands every argument over as a string, so <c>"max_lines": "20"</c> is typed back by the tool's own JSON Schema.
/// A value that does not fit its schema type is left as it was, for the schema validation to report.
/// </summary>
public static class ToolArguments
{
    /// <summary>The full name the model used; the connector splits <c>plugin-function</c> names apart.</summary>
    public static string ToolName(FunctionCallContent call) =>
        string.IsNullOrEmpty(call.PluginName) ? call.FunctionName : $"{call.PluginName}-{call.FunctionName}";

    public static JsonObject? ToJson(FunctionCallContent call, IAgentTool? tool)
    {
        if (call.Arguments is null)
        {
            return null;
        }
        var json = new JsonObject();
        foreach (var (name, value) in call.Arguments)
        {
            var declared = tool is not null && tool.InputSchema.Properties.TryGetValue(name, out var property)
                ? property.ActualSchema.Type
                : JsonObjectType.None;
            json[name] = value is string text ? Coerce(text, declared) : JsonSerializer.SerializeToNode(value, JsonDefaults.Compact);
        }
        // Not re-parsed: the executor reads the object into the tool's input record, whatever backs each value.
        return json;
    }

    internal static JsonNode? Coerce(string text, JsonObjectType declared)
    {
        // Strings, untyped and unknown properties keep the model's text exactly.
        if (declared == JsonObjectType.None || declared.HasFlag(JsonObjectType.String))
        {
            return JsonValue.Create(text);
        }
        var trimmed = text.Trim();
        if (declared.HasFlag(JsonObjectType.Integer) && long.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }
        if (declared.HasFlag(JsonObjectType.Number) && decimal.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }
        if (declared.HasFlag(JsonObjectType.Boolean) && bool.TryParse(trimmed, out var flag))
        {
            return JsonValue.Create(flag);
        }
        if (declared.HasFlag(JsonObjectType.Null) && trimmed == "null")
        {
            return null;
        }
        if ((declared.HasFlag(JsonObjectType.Array) && trimmed.StartsWith('['))
            || (declared.HasFlag(JsonObjectType.Object) && trimmed.StartsWith('{')))
        {
            try
            {
                return JsonNode.Parse(trimmed);
            }
            catch (JsonException)
            {
                // Left as text: the schema validation names the mismatch.
            }
        }
        return JsonValue.Create(text);
    }
}
