using System.Text.Json.Nodes;
using Agent.Core.Workspace;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>Lists a workspace directory: name, type and size of each entry, in ordinal order, capped. Links are reported, not followed.</summary>
public sealed class ListDirTool(WorkspaceRoot workspace) : AgentTool<ListDirInput>
{
    public const int MaxEntries = 1000;

    public override string Name => "list_dir";

    public override string Description => "List files and directories in a path within the workspace.";

    public override ToolPermission Permissions => ToolPermission.Read;

    public override Task<JsonNode?> ExecuteAsync(ListDirInput input, CancellationToken cancellationToken)
    {
        var requested = input.Path;
        using var directory = OpenDirectory(requested);

        // Every entry is inspected through the open directory, so a rename of the path meanwhile changes nothing.
        var names = directory.ListNames().Order(StringComparer.Ordinal).ToList();
        var entries = new JsonArray();
        foreach (var name in names.Take(MaxEntries))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entry = directory.Stat(name);
            entries.Add(new JsonObject
            {
                ["name"] = name,
                ["type"] = entry.Kind.ToWire(),
                ["size"] = entry.Kind == FileKind.Regular ? entry.Size : null,
            });
        }

        return Task.FromResult<JsonNode?>(new JsonObject
        {
            ["path"] = directory.RelativePath,
            ["entries"] = entries,
            ["count"] = names.Count,
            ["truncated"] = names.Count > MaxEntries,
        });
    }

    private WorkspaceDirectory OpenDirectory(string requested)
    {
        var relative = workspace.Relative(workspace.Resolve(requested));
        if (relative == ".")
        {
            return workspace.OpenDirectory(".");
        }
        WorkspaceDirectory parent;
        string name;
        try
        {
            parent = workspace.OpenParent(relative, out name);
        }
        catch (DirectoryNotFoundException)
        {
            throw new ToolException($"Directory '{requested}' does not exist.");
        }
        using (parent)
        {
            var kind = parent.Stat(name).Kind;
            return kind switch
            {
                FileKind.Directory => parent.OpenDirectory(name),
                FileKind.Missing => throw new ToolException($"Directory '{requested}' does not exist."),
                FileKind.Regular => throw new ToolException($"'{requested}' is a file, not a directory."),
                _ => throw new ToolException($"'{requested}' is not a directory ({kind.ToWire()})."),
            };
        }
    }
}
