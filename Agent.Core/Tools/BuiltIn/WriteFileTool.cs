using System.Text;
using System.Text.Json.Nodes;
using Agent.Core.Workspace;
using Microsoft.Extensions.Options;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>
/// Writes (or appends to) a text file in the workspace, atomically: the new content goes to a temporary file in
/// the same directory, which then replaces the target by rename. Missing parent directories are created, inside
/// the workspace only. The resulting file may not exceed <c>Tools:MaxWriteSize</c> bytes.
/// </summary>
public sealed class WriteFileTool(WorkspaceRoot workspace, IOptions<ToolsOptions> options) : AgentTool<WriteFileInput>
{

    private readonly ToolsOptions _options = options.Value;

    public override string Name => "write_file";

    public override string Description => "Write text to a file within the workspace (creates parent directories; optionally appends).";

    public override ToolPermission Permissions => ToolPermission.Write;

    public override async Task<JsonNode?> ExecuteAsync(WriteFileInput input, CancellationToken cancellationToken)
    {
        var requested = input.Path;
        var content = Encoding.UTF8.GetBytes(input.Content);
        var append = input.Append;

        var relative = workspace.Relative(workspace.Resolve(requested));
        if (relative == "." || requested.EndsWith('/'))
        {
            throw new ToolException($"'{requested}' is a directory.");
        }
        var slash = relative.LastIndexOf('/');
        var name = relative[(slash + 1)..];
        var parentPath = slash < 0 ? "." : relative[..slash];

        // From here on the file is reached only through this directory handle: check, write and rename all happen in it.
        // Missing directories are counted against the quota before any is created.
        using (var parent = OpenParent(parentPath, requested, missing => CheckQuota(content.LongLength, missing + 1, cancellationToken)))
        {
            var existing = parent.Stat(name);
            if (existing.Kind == FileKind.SymbolicLink)
            {
                throw WorkspaceDirectory.LinkAppeared(relative);
            }
            if (existing.Kind is not (FileKind.Regular or FileKind.Missing))
            {
                throw FileErrors.NotRegular(requested, existing.Kind);
            }
            if (existing.IsHardLinked && !_options.AllowHardLinks)
            {
                throw WorkspaceDirectory.HardLinked(relative, existing.Links);
            }
            var finalSize = content.LongLength + (append ? existing.Size : 0);
            if (finalSize > _options.MaxWriteSize)
            {
                throw new ToolException(
                    $"The file would be {finalSize} bytes; the limit is {_options.MaxWriteSize} bytes (MAX_WRITE_SIZE). Nothing was written.");
            }
            CheckQuota(finalSize - existing.Size, existing.Kind == FileKind.Missing ? 1 : 0, cancellationToken);

            var size = await ReplaceAsync(parent, name, content, append && existing.Kind == FileKind.Regular, cancellationToken);
            return new JsonObject
            {
                ["path"] = relative,
                ["bytes_written"] = content.LongLength,
                ["size"] = size,
                ["created"] = existing.Kind == FileKind.Missing,
                ["appended"] = append && existing.Kind == FileKind.Regular,
            };
        }
    }

    /// <summary>
    /// Writes the new content to a temporary file in the same directory, then renames it over the target
    /// (renameat within one directory handle), so a reader never sees half a file and nothing is written elsewhere.
    /// </summary>
    private async Task<long> ReplaceAsync(WorkspaceDirectory parent, string name, byte[] content, bool append, CancellationToken cancellationToken)
    {
        var temporary = $".{name}.{Guid.NewGuid():N}.tmp";
        var renamed = false;
        try
        {
            long size;
            await using (var output = parent.CreateNew(temporary))
            {
                if (append)
                {
                    await using var existing = parent.OpenRead(name, _options.AllowHardLinks, out _);
                    await existing.CopyToAsync(output, cancellationToken);
                }
                await output.WriteAsync(content, cancellationToken);
                await output.FlushAsync(cancellationToken);
                output.Flush(flushToDisk: true);
                size = output.Length;
            }
            if (size > _options.MaxWriteSize)
            {
                throw new ToolException($"The file grew beyond {_options.MaxWriteSize} bytes (MAX_WRITE_SIZE) while appending. Nothing was written.");
            }
            parent.Rename(temporary, name);
            renamed = true;
            return size;
        }
        finally
        {
            if (!renamed)
            {
                parent.Delete(temporary);
            }
        }
    }

    /// <summary>Refuses, as <c>blocked</c>, a write that would take the workspace past either quota.</summary>
    private void CheckQuota(long addedBytes, int addedEntries, CancellationToken cancellationToken)
    {
        var usage = WorkspaceUsage.Measure(workspace, _options.WorkspaceQuotaBytes, _options.WorkspaceQuotaFiles, cancellationToken);
        if (usage.Bytes + addedBytes > _options.WorkspaceQuotaBytes)
        {
            throw new ToolBlockedException(
                $"The workspace would hold {usage.Bytes + addedBytes} bytes; the quota is {_options.WorkspaceQuotaBytes} bytes (WORKSPACE_QUOTA_BYTES). Nothing was written.");
        }
        if (addedEntries > 0 && usage.Entries + addedEntries > _options.WorkspaceQuotaFiles)
        {
            throw new ToolBlockedException(
                $"The workspace would hold {usage.Entries + addedEntries} entries; the quota is {_options.WorkspaceQuotaFiles} files (WORKSPACE_QUOTA_FILES). Nothing was written.");
        }
    }

    /// <summary>
    /// Opens the target's directory; when some of it is missing, walks from the root creating each missing level
    /// with mkdirat and opening it with O_NOFOLLOW, so a link placed on the way is refused, not followed.
    /// </summary>
    private WorkspaceDirectory OpenParent(string parentPath, string requested, Action<int> beforeCreating)
    {
        try
        {
            return workspace.OpenDirectory(parentPath);
        }
        catch (DirectoryNotFoundException)
        {
        }
        var parts = parentPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var quotaChecked = false;
        return WorkspaceDirectory.Descend(workspace.OpenDirectory("."), parts.Length, (current, i) =>
        {
            var part = parts[i];
            var kind = current.Stat(part).Kind;
            if (kind == FileKind.Missing)
            {
                if (!quotaChecked)
                {
                    beforeCreating(parts.Length - i);
                    quotaChecked = true;
                }
                return current.CreateDirectory(part);
            }
            if (kind == FileKind.SymbolicLink)
            {
                throw WorkspaceDirectory.LinkAppeared(current.RelativeOf(part));
            }
            if (kind != FileKind.Directory)
            {
                throw new ToolException($"Cannot create '{requested}': '{current.RelativeOf(part)}' is not a directory ({kind.ToWire()}).");
            }
            return current.OpenDirectory(part);
        });
    }
}
