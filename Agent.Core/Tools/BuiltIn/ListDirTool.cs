using System.Text.Json.Nodes;
using Agent.Core.Workspace;
using NJsonSchema;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>Lists a workspace directory: name, type and size of each entry, sorted by name, capped.</summary>
public sealed class ListDirTool(WorkspaceRoot workspace) : IAgentTool
{
    public const int MaxEntries = 1000;

    private static readonly JsonSchema Schema = ToolSchemas.Parse("""
        {
          "type": "object",
          "properties": {
            "path": { "type": "string", "description": "Directory relative to the workspace root (default '.')", "maxLength": 4096 }
          },
          "additionalProperties": false
        }
        """);

    public string Name => "list_dir";

    public string Description => "List files and directories in a path within the workspace.";

    public JsonSchema InputSchema => Schema;

    public ToolPermission Permissions => ToolPermission.Read;

    public Task<JsonNode?> ExecuteAsync(JsonObject input, CancellationToken cancellationToken)
    {
        var requested = input["path"]?.GetValue<string>() ?? ".";
        var directory = new DirectoryInfo(workspace.Resolve(requested));
        if (!directory.Exists)
        {
            throw new ToolException(File.Exists(directory.FullName)
                ? $"'{requested}' is a file, not a directory."
                : $"Directory '{requested}' does not exist.");
        }

        var all = directory.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        var entries = new JsonArray();
        foreach (var entry in all.Take(MaxEntries))
        {
            cancellationToken.ThrowIfCancellationRequested();
            entries.Add(new JsonObject
            {
                ["name"] = entry.Name,
                ["type"] = entry switch
                {
                    _ when entry.LinkTarget is not null => "symlink",
                    DirectoryInfo => "directory",
                    _ => "file",
                },
                ["size"] = entry is FileInfo f && entry.LinkTarget is null ? f.Length : null,
            });
        }

        return Task.FromResult<JsonNode?>(new JsonObject
        {
            ["path"] = workspace.Relative(directory.FullName),
            ["entries"] = entries,
            ["count"] = all.Count,
            ["truncated"] = all.Count > MaxEntries,
        });
    }
}
