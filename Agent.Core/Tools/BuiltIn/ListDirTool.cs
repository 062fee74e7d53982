using System.Text.Json.Nodes;
using Agent.Core.Workspace;
using NJsonSchema;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>Lists a workspace directory: name, type and size of each entry, in ordinal order, capped. Links are reported, not followed.</summary>
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
        var directory = workspace.Resolve(requested);
        var (kind, _) = WorkspaceRoot.Probe(directory);
        if (kind != FileKind.Directory)
        {
            throw new ToolException(kind switch
            {
                FileKind.Missing => $"Directory '{requested}' does not exist.",
                FileKind.Regular => $"'{requested}' is a file, not a directory.",
                _ => $"'{requested}' is not a directory ({kind.ToWire()}).",
            });
        }

        var names = Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>()
            .Order(StringComparer.Ordinal).ToList();
        var entries = new JsonArray();
        foreach (var name in names.Take(MaxEntries))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (entryKind, size) = WorkspaceRoot.Probe(Path.Combine(directory, name));
            entries.Add(new JsonObject
            {
                ["name"] = name,
                ["type"] = entryKind.ToWire(),
                ["size"] = entryKind == FileKind.Regular ? size : null,
            });
        }

        return Task.FromResult<JsonNode?>(new JsonObject
        {
            ["path"] = workspace.Relative(directory),
            ["entries"] = entries,
            ["count"] = names.Count,
            ["truncated"] = names.Count > MaxEntries,
        });
    }
}
