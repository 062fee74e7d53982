using System.Text;
using System.Text.Json.Nodes;
using Agent.Core.Workspace;
using Microsoft.Extensions.Options;
using NJsonSchema;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>
/// Writes (or appends to) a text file in the workspace, atomically: the new content goes to a temporary file in
/// the same directory, which then replaces the target by rename. Missing parent directories are created, inside
/// the workspace only. The resulting file may not exceed <c>Tools:MaxWriteSize</c> bytes.
/// </summary>
public sealed class WriteFileTool(WorkspaceRoot workspace, IOptions<ToolsOptions> options) : IAgentTool
{
    private static readonly JsonSchema Schema = ToolSchemas.Parse("""
        {
          "type": "object",
          "properties": {
            "path": { "type": "string", "description": "File path relative to the workspace root", "minLength": 1, "maxLength": 4096 },
            "content": { "type": "string", "description": "Text to write (UTF-8)" },
            "append": { "type": "boolean", "description": "Append to the file instead of replacing it (default false)" }
          },
          "required": ["path", "content"],
          "additionalProperties": false
        }
        """);

    private readonly long _maxBytes = options.Value.MaxWriteSize;

    public string Name => "write_file";

    public string Description => "Write text to a file within the workspace (creates parent directories; optionally appends).";

    public JsonSchema InputSchema => Schema;

    public ToolPermission Permissions => ToolPermission.Write;

    public async Task<JsonNode?> ExecuteAsync(JsonObject input, CancellationToken cancellationToken)
    {
        var requested = input["path"]!.GetValue<string>();
        var content = Encoding.UTF8.GetBytes(input["content"]!.GetValue<string>());
        var append = input["append"]?.GetValue<bool>() ?? false;

        var target = workspace.Resolve(requested);
        if (target == workspace.FullPath || requested.EndsWith('/'))
        {
            throw new ToolException($"'{requested}' is a directory.");
        }
        var (kind, existingSize) = WorkspaceRoot.Probe(target);
        if (kind is not (FileKind.Regular or FileKind.Missing))
        {
            throw FileErrors.NotRegular(requested, kind);
        }
        var finalSize = content.LongLength + (append ? existingSize : 0);
        if (finalSize > _maxBytes)
        {
            throw new ToolException(
                $"The file would be {finalSize} bytes; the limit is {_maxBytes} bytes (MAX_WRITE_SIZE). Nothing was written.");
        }

        var directory = Path.GetDirectoryName(target)!;
        CreateParents(directory, requested);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            // CreateNew is O_EXCL: it never follows or reuses whatever else sits at that name.
            await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                if (append && kind == FileKind.Regular)
                {
                    await using var existing = NativeFiles.OpenRegularForRead(target, out _);
                    await existing.CopyToAsync(output, cancellationToken);
                }
                await output.WriteAsync(content, cancellationToken);
                await output.FlushAsync(cancellationToken);
                output.Flush(flushToDisk: true);
            }
            if (new FileInfo(temporary).Length > _maxBytes)
            {
                throw new ToolException($"The file grew beyond {_maxBytes} bytes (MAX_WRITE_SIZE) while appending. Nothing was written.");
            }
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return new JsonObject
        {
            ["path"] = workspace.Relative(target),
            ["bytes_written"] = content.LongLength,
            ["size"] = new FileInfo(target).Length,
            ["created"] = kind == FileKind.Missing,
            ["appended"] = append && kind == FileKind.Regular,
        };
    }

    /// <summary>Creates missing directories one level at a time, re-checking that each is a real directory inside the workspace.</summary>
    private void CreateParents(string directory, string requested)
    {
        var missing = new Stack<string>();
        for (var current = directory; ; current = Path.GetDirectoryName(current)!)
        {
            if (!workspace.IsInside(current))
            {
                throw new WorkspaceAccessException($"Path '{requested}' escapes the workspace.");
            }
            var (kind, _) = WorkspaceRoot.Probe(current);
            if (kind == FileKind.Directory)
            {
                break;
            }
            if (kind != FileKind.Missing)
            {
                throw new ToolException($"Cannot create '{requested}': '{workspace.Relative(current)}' is not a directory ({kind.ToWire()}).");
            }
            missing.Push(current);
        }
        while (missing.TryPop(out var create))
        {
            Directory.CreateDirectory(create);
        }
    }
}
