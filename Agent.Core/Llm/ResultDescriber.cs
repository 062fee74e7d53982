using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agent.Core.Tools;

namespace Agent.Core.Llm;

/// <summary>Writes a readable sentence or two from one tool result, for the local planner's final answer.</summary>
public static class ResultDescriber
{
    private const int MaxItems = 20;

    public static string Describe(string toolName, string? resultJson)
    {
        if (toolName == "list_dir" && DescribeListing(resultJson) is { } listing)
        {
            return listing;
        }
        var result = Parse(resultJson);
        var status = Text(result?["status"]) ?? "error";
        if (status != "success")
        {
            return $"{toolName} did not succeed ({status}): {Text(result?["error"]) ?? "no details"}";
        }
        var output = result?["output"];
        if (TruncatedOutput.From(output) is { } cut)
        {
            // Over MAX_OUTPUT_SIZE: describe what the decoded preview holds and say how much is missing.
            return DescribeCut(toolName, cut);
        }
        return toolName switch
        {
            "list_dir" => DescribeListing(output as JsonObject),
            "read_file" => DescribeFile(output as JsonObject),
            "search_files" => DescribeSearch(output),
            "write_file" => DescribeWrite(output as JsonObject),
            "health_check" => $"The agent is {Text(output?["status"])} on {Text(output?["platform"])} (.NET {Text(output?["dotnet_version"])}).",
            _ => $"{toolName}: {output?.ToJsonString(JsonDefaults.Compact) ?? "no output"}",
        };
    }

    private static JsonObject? Parse(string? json)
    {
        try
        {
            return json is null ? null : JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Any scalar as text (numbers and booleans included), without throwing on an unexpected kind.</summary>
    private static string? Text(JsonNode? node) => node switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value => value.ToJsonString(),
        _ => null,
    };

    private static string DescribeListing(JsonObject? output)
    {
        var entries = output?["entries"] as JsonArray ?? [];
        var count = int.TryParse(Text(output?["count"]), out var c) ? c : entries.Count;
        var path = Text(output?["path"]) ?? ".";
        var where = path == "." ? "The workspace" : $"'{path}'";
        if (count == 0)
        {
            return $"{where} is empty.";
        }
        var text = new StringBuilder($"{where} contains {count} {(count == 1 ? "entry" : "entries")}: ");
        text.AppendJoin(", ", entries.Select(e => Text(e?["type"]) == "directory" ? $"{Text(e?["name"])}/" : Text(e?["name"])));
        if (Text(output?["truncated"]) == "true")
        {
            text.Append(" (listing truncated)");
        }
        return text.Append('.').ToString();
    }

    /// <summary>
    /// A successful, whole listing read from the parsed document, without building a node per entry (a hundred entries
    /// as nodes cost a dictionary each); null sends anything else down the general path.
    /// </summary>
    private static string? DescribeListing(string? resultJson)
    {
        JsonElement result;
        try
        {
            result = resultJson is null ? default : JsonSerializer.Deserialize<JsonElement>(resultJson);
        }
        catch (JsonException)
        {
            return null;
        }
        if (result.ValueKind != JsonValueKind.Object || Text(Property(result, "status")) != "success"
            || Property(result, "output") is not { ValueKind: JsonValueKind.Object } output || output.TryGetProperty("preview", out _))
        {
            return null;
        }
        var entries = Property(output, "entries") is { ValueKind: JsonValueKind.Array } array ? array : default;
        var entryCount = entries.ValueKind == JsonValueKind.Array ? entries.GetArrayLength() : 0;
        var count = int.TryParse(Text(Property(output, "count")), out var c) ? c : entryCount;
        var path = Text(Property(output, "path")) ?? ".";
        var where = path == "." ? "The workspace" : $"'{path}'";
        if (count == 0)
        {
            return $"{where} is empty.";
        }
        var text = new StringBuilder($"{where} contains {count} {(count == 1 ? "entry" : "entries")}: ");
        if (entryCount > 0)
        {
            var first = true;
            foreach (var entry in entries.EnumerateArray())
            {
                var name = Text(Property(entry, "name"));
                text.Append(first ? "" : ", ").Append(Text(Property(entry, "type")) == "directory" ? $"{name}/" : name);
                first = false;
            }
        }
        if (Text(Property(output, "truncated")) == "true")
        {
            text.Append(" (listing truncated)");
        }
        return text.Append('.').ToString();
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : null;

    /// <summary>As <see cref="Text(JsonNode?)"/> for a parsed element: scalars as text, null and containers as null.</summary>
    private static string? Text(JsonElement? element) => element?.ValueKind switch
    {
        JsonValueKind.String => element.Value.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => element.Value.GetRawText(),
        _ => null,
    };

    private static string DescribeCut(string toolName, TruncatedOutput cut)
    {
        var note = $"output cut to the first {cut.PreviewText.Length} of {cut.OriginalLength} characters (MAX_OUTPUT_SIZE)";
        var preview = cut.Preview as JsonObject;
        return toolName == "read_file" && Text(preview?["path"]) is { } path
            ? $"{path} ({note}):\n{Text(preview?["content"])}"
            : $"{toolName}: {note}: {cut.Preview?.ToJsonString(JsonDefaults.Compact) ?? cut.PreviewText}";
    }

    private static string DescribeFile(JsonObject? output)
    {
        var more = Text(output?["truncated"]) == "true" ? ", more lines not shown" : "";
        return $"{Text(output?["path"])} ({Text(output?["line_count"])} lines{more}):\n{Text(output?["content"])}";
    }

    /// <summary>Search results are a list of matches or files; whichever array the tool returns is summarised.</summary>
    private static string DescribeSearch(JsonNode? output)
    {
        var items = output as JsonArray
            ?? (output as JsonObject)?.Select(p => p.Value).OfType<JsonArray>().FirstOrDefault()
            ?? [];
        var summary = output as JsonObject;
        var count = int.TryParse(Text(summary?["count"]), out var c) ? c
            : int.TryParse(Text(summary?["total"]), out var t) ? t : items.Count;
        if (count == 0)
        {
            return "The search found nothing.";
        }
        var text = new StringBuilder($"The search found {count} {(count == 1 ? "match" : "matches")}: ");
        text.AppendJoin("; ", items.Take(MaxItems).Select(DescribeMatch));
        if (items.Count > MaxItems)
        {
            text.Append($"; and {items.Count - MaxItems} more");
        }
        return text.Append('.').ToString();
    }

    private static string? DescribeMatch(JsonNode? match)
    {
        if (match is not JsonObject item)
        {
            return Text(match);
        }
        var path = Text(item["path"]) ?? Text(item["file"]) ?? Text(item["name"]);
        var line = Text(item["line"]) ?? Text(item["line_number"]);
        var snippet = Text(item["text"]) ?? Text(item["content"]) ?? Text(item["snippet"]);
        return line is null ? path : $"{path}:{line}{(snippet is null ? "" : $" {snippet.Trim()}")}";
    }

    private static string DescribeWrite(JsonObject? output)
    {
        var bytes = Text(output?["bytes_written"]) ?? Text(output?["bytes"]) ?? Text(output?["size"]);
        return bytes is null ? $"Wrote {Text(output?["path"])}." : $"Wrote {bytes} bytes to {Text(output?["path"])}.";
    }
}
