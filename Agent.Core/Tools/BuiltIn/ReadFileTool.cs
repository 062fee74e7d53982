using System.Text;
using System.Text.Json.Nodes;
using Agent.Core.Workspace;
using Microsoft.Extensions.Options;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>
/// Reads a text file in the workspace: at most <c>max_lines</c> lines and <c>Tools:MaxReadSize</c> bytes.
/// FIFOs, devices and sockets are refused without being opened; binary files are reported, not dumped.
/// </summary>
public sealed class ReadFileTool(WorkspaceRoot workspace, IOptions<ToolsOptions> options) : AgentTool<ReadFileInput>
{
    public const int DefaultMaxLines = 1000;

    private readonly long _maxBytes = options.Value.MaxReadSize;
    private readonly bool _allowHardLinks = options.Value.AllowHardLinks;

    public override string Name => "read_file";

    public override string Description => "Read the contents of a text file within the workspace.";

    public override ToolPermission Permissions => ToolPermission.Read;

    public override async Task<JsonNode?> ExecuteAsync(ReadFileInput input, CancellationToken cancellationToken)
    {
        var requested = input.Path;

        FileStream stream;
        string fullPath;
        long size;
        try
        {
            stream = workspace.OpenRead(requested, _allowHardLinks, out fullPath, out size);
        }
        catch (FileNotFoundException)
        {
            throw FileErrors.NotFound(requested);
        }
        catch (NotRegularFileException ex)
        {
            throw FileErrors.NotRegular(requested, ex.Kind);
        }

        byte[] bytes;
        bool moreBytes;
        await using (stream)
        {
            (bytes, moreBytes) = await ContentSniffer.ReadUpToAsync(stream, _maxBytes, cancellationToken);
        }

        var result = new JsonObject { ["path"] = workspace.Relative(fullPath), ["size"] = size };
        if (ContentSniffer.LooksBinary(bytes))
        {
            result["binary"] = true;
            result["message"] = "Binary file; content not shown.";
            return result;
        }

        var (content, lines, moreLines) = TakeLines(Decode(bytes), input.MaxLines);
        result["content"] = content;
        result["line_count"] = lines;
        result["truncated"] = moreLines || moreBytes;
        return result;
    }

    private static string Decode(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>The first lines of the text, exactly as in the file (line endings kept).</summary>
    private static (string Content, int Lines, bool More) TakeLines(string text, int maxLines)
    {
        var end = 0;
        var lines = 0;
        while (lines < maxLines && end < text.Length)
        {
            var newline = text.IndexOf('\n', end);
            end = newline < 0 ? text.Length : newline + 1;
            lines++;
        }
        return (text[..end], lines, end < text.Length);
    }
}
