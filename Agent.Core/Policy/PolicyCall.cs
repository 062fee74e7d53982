using System.Text.Json.Nodes;
using Agent.Core.Tools;

namespace Agent.Core.Policy;

/// <summary>
/// What the rules look at in one call: the tool, its permissions and the facts read from its arguments. A fact the
/// arguments do not carry in the expected shape is null, and a condition on a null fact does not match (such a call
/// then fails schema validation and never runs).
/// </summary>
public sealed record PolicyCall(string ToolName, ToolPermission Permissions, string? Path, string? Host, IReadOnlyList<string>? CommandLine)
{
    /// <summary>Tools whose <c>path</c> names a directory they read recursively, so a rule on paths beneath it concerns them.</summary>
    private static readonly HashSet<string> RecursiveTools = new(StringComparer.Ordinal) { "search_files" };

    /// <summary>True when the path is a directory the tool reads everything beneath.</summary>
    public bool Recursive => RecursiveTools.Contains(ToolName);

    public static PolicyCall From(IAgentTool tool, JsonNode? input)
    {
        var arguments = input as JsonObject;
        var path = tool.InputSchema.ActualProperties.ContainsKey("path")
            ? PolicyArguments.NormalizePath(arguments?["path"] is null ? "." : PolicyArguments.Text(arguments["path"]))
            : null;
        var host = arguments?["url"] is { } url ? PolicyArguments.Host(PolicyArguments.Text(url)) : null;
        var commandLine = arguments?["command"] is { } command ? PolicyArguments.CommandLine(PolicyArguments.Text(command), arguments["args"]) : null;
        return new PolicyCall(tool.Name, tool.Permissions, path, host, commandLine);
    }
}
