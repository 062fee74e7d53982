using System.Text;
using System.Text.Json.Nodes;
using Agent.Core.Workspace;
using NJsonSchema;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>Reads a text file in the workspace, up to <c>max_lines</c> lines and the output limit.</summary>
public sealed class ReadFileTool(WorkspaceRoot workspace) : IAgentTool
{
    private static readonly JsonSchema Schema = ToolSchemas.Parse("""
        {
          "type": "object",
          "properties": {
            "path": { "type": "string", "description": "File path relative to the workspace root", "minLength": 1, "maxLength": 4096 },
            "max_lines": { "type": "integer", "description": "Maximum lines to read (1-1000)", "minimum": 1, "maximum": 1000 }
          },
          "required": ["path"],
          "additionalProperties": false
        }
        """);

    public string Name => "read_file";

    public string Description => "Read the contents of a text file within the workspace.";

    public JsonSchema InputSchema => Schema;

    public ToolPermission Permissions => ToolPermission.Read;

    public async Task<JsonNode?> ExecuteAsync(JsonObject input, CancellationToken cancellationToken)
    {
        var requested = input["path"]!.GetValue<string>();
        var maxLines = input["max_lines"]?.GetValue<int>() ?? 1000;
        var file = new FileInfo(workspace.Resolve(requested));
        if (!file.Exists)
        {
            throw new ToolException(Directory.Exists(file.FullName) ? $"'{requested}' is a directory." : $"File '{requested}' does not exist.");
        }

        using var reader = new StreamReader(file.FullName, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var content = new StringBuilder();
        var lines = 0;
        while (lines < maxLines && await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            content.Append(line).Append('\n');
            lines++;
        }
        return new JsonObject
        {
            ["path"] = workspace.Relative(file.FullName),
            ["content"] = content.ToString(),
            ["size"] = file.Length,
            ["line_count"] = lines,
            ["truncated"] = await reader.ReadLineAsync(cancellationToken) is not null,
        };
    }
}
