using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Agent.Core.Llm;

/// <summary>Turns a plain-English instruction into built-in tool calls; an unknown instruction yields none.</summary>
public static partial class InstructionParser
{
    public const string Help =
        "I could not map that instruction to a tool. I understand: \"list the files [in DIR]\", " +
        "\"read FILE [, first N lines]\", \"check your health\".";

    public static IReadOnlyList<PlannedCall> Parse(string instruction)
    {
        var calls = new List<PlannedCall>();
        foreach (var clause in Clauses().Split(instruction))
        {
            if (ParseClause(clause.Trim()) is { } call)
            {
                calls.Add(call);
            }
        }
        return calls;
    }

    private static PlannedCall? ParseClause(string clause)
    {
        if (HealthRequest().IsMatch(clause))
        {
            return new PlannedCall("health_check", []);
        }
        if (ListRequest().Match(clause) is { Success: true } list)
        {
            var path = list.Groups["path"].Success ? list.Groups["path"].Value.Trim('\'', '"', '/') : ".";
            return new PlannedCall("list_dir", new JsonObject { ["path"] = path is "" or "workspace" or "the workspace" ? "." : path });
        }
        if (ReadRequest().Match(clause) is { Success: true } read)
        {
            var arguments = new JsonObject { ["path"] = read.Groups["path"].Value.Trim('\'', '"') };
            if (read.Groups["lines"].Success)
            {
                arguments["max_lines"] = int.Parse(read.Groups["lines"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            return new PlannedCall("read_file", arguments);
        }
        return null;
    }

    [GeneratedRegex(@"\s*(?:,?\s+and then\s+|,?\s+then\s+|;\s*|,?\s+and\s+(?=(?:list|read|show|check|search|write|find)\b))", RegexOptions.IgnoreCase)]
    private static partial Regex Clauses();

    [GeneratedRegex(@"\b(health|status)\b", RegexOptions.IgnoreCase)]
    private static partial Regex HealthRequest();

    [GeneratedRegex(@"^(?:please\s+)?(?:list|show)\b(?:\s+(?:me\s+)?(?:all\s+)?(?:the\s+)?(?:files|entries|contents|directory|dir)?)?(?:\s+(?:in|of|under|inside)\s+(?<path>\S+(?:\s\S+)?))?\s*\.?$", RegexOptions.IgnoreCase)]
    private static partial Regex ListRequest();

    [GeneratedRegex(@"^(?:please\s+)?(?:read|open|show|cat)\s+(?:the\s+)?(?:file\s+)?(?<path>[\w./-]+)(?:,?\s+(?:first|only\s+the\s+first|the\s+first)\s+(?<lines>\d+)\s+lines?)?\s*\.?$", RegexOptions.IgnoreCase)]
    private static partial Regex ReadRequest();
}
