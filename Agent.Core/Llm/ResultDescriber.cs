using System.Text;
using System.Text.Json.Nodes;

namespace Agent.Core.Llm;

/// <summary>Writes a readable sentence or two from one tool result, for the local planner's final answer.</summary>
public static class ResultDescriber
{
    public static string Describe(string toolName, string? resultJson)
    {
        var result = resultJson is null ? null : JsonNode.Parse(resultJson) as JsonObject;
        var status = result?["status"]?.GetValue<string>() ?? "error";
        if (status != "success")
        {
            return $"{toolName} did not succeed ({status}): {result?["error"]?.GetValue<string>()}";
        }
        var output = result?["output"] as JsonObject;
        return toolName switch
        {
            "list_dir" => DescribeListing(output),
            "read_file" => $"{output?["path"]} ({output?["line_count"]} lines):\n{output?["content"]}",
            "health_check" => $"The agent is {output?["status"]} on {output?["platform"]} (.NET {output?["dotnet_version"]}).",
            _ => $"{toolName}: {output?.ToJsonString()}",
        };
    }

    private static string DescribeListing(JsonObject? output)
    {
        var entries = output?["entries"] as JsonArray ?? [];
        var count = output?["count"]?.GetValue<int>() ?? entries.Count;
        var path = output?["path"]?.GetValue<string>() ?? ".";
        var where = path == "." ? "The workspace" : $"'{path}'";
        if (count == 0)
        {
            return $"{where} is empty.";
        }
        var text = new StringBuilder($"{where} contains {count} {(count == 1 ? "entry" : "entries")}: ");
        text.AppendJoin(", ", entries.Select(e => e?["type"]?.GetValue<string>() == "directory" ? $"{e["name"]}/" : $"{e?["name"]}"));
        return text.Append('.').ToString();
    }
}
