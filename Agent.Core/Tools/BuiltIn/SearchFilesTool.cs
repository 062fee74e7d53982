using System.IO.Enumeration;
using System.Text;
using System.Text.Json.Nodes;
using Agent.Core.Workspace;
using Microsoft.Extensions.Options;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>
/// Finds files by name glob and/or lines containing a text, below a workspace directory. Never opens anything but
/// regular files, never enters linked directories, follows file links only when they stay inside the workspace,
/// skips binary files, and stops at <c>Tools:SearchMaxResults</c> results or <c>Tools:SearchMaxFiles</c> files.
/// </summary>
public sealed class SearchFilesTool(WorkspaceRoot workspace, IOptions<ToolsOptions> options) : AgentTool<SearchFilesInput>
{
    public const int MaxDepth = 32;
    public const int MaxLineText = 200;

    private readonly ToolsOptions _options = options.Value;

    public override string Name => "search_files";

    public override string Description => "Search the workspace for files whose name matches a glob (pattern) and/or that contain a text (query).";

    public override ToolPermission Permissions => ToolPermission.Read;

    public override async Task<JsonNode?> ExecuteAsync(SearchFilesInput input, CancellationToken cancellationToken)
    {
        var (pattern, query, requested) = (input.Pattern, input.Query, input.Path);
        var start = workspace.Relative(workspace.Resolve(requested));
        if (workspace.Stat(start).Kind != FileKind.Directory)
        {
            throw new ToolException($"Directory '{requested}' does not exist.");
        }

        var search = new Search(query, _options.SearchMaxResults);
        var scanned = 0;
        var truncated = false;
        var pending = new Stack<(string Path, int Depth)>();
        pending.Push((start, 0));
        while (!truncated && pending.TryPop(out var next))
        {
            using var directory = TryOpen(next.Path);
            if (directory is null)
            {
                continue;
            }
            var subdirectories = new List<string>();
            foreach (var name in directory.ListNames().Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var entry = directory.Stat(name);
                var kind = entry.Kind;
                var relative = directory.RelativeOf(name);
                string? linkTarget = null;
                if (kind == FileKind.SymbolicLink)
                {
                    (kind, linkTarget) = FollowInside(relative);
                    if (kind == FileKind.Directory)
                    {
                        // Entering linked directories invites loops; the real directory is searched where it lives.
                        search.SkippedLinks++;
                        continue;
                    }
                }
                switch (kind)
                {
                    case FileKind.Directory:
                        subdirectories.Add(relative);
                        continue;
                    case FileKind.Regular:
                        break;
                    case FileKind.Missing:
                        search.SkippedLinks++;
                        continue;
                    default:
                        search.SkippedSpecial++;
                        continue;
                }
                if (pattern is not null && !FileSystemName.MatchesSimpleExpression(pattern, name, ignoreCase: true))
                {
                    continue;
                }
                if (++scanned > _options.SearchMaxFiles || search.Full)
                {
                    truncated = true;
                    break;
                }
                // Read through the open directory, or through the root handle for a link's target inside the workspace.
                await search.AddAsync(relative, () => linkTarget is null
                    ? directory.OpenRead(name, _options.AllowHardLinks, out _)
                    : workspace.OpenRead(linkTarget, _options.AllowHardLinks, out _, out _), _options.SearchMaxFileSize, cancellationToken);
            }
            if (next.Depth < MaxDepth)
            {
                // Pushed in reverse so that directories are searched in ordinal order, depth first.
                foreach (var subdirectory in Enumerable.Reverse(subdirectories))
                {
                    pending.Push((subdirectory, next.Depth + 1));
                }
            }
        }

        var result = new JsonObject
        {
            ["path"] = start,
            ["pattern"] = pattern,
            ["query"] = query,
        };
        if (query is null)
        {
            result["files"] = new JsonArray(search.Files.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray());
        }
        else
        {
            result["matches"] = search.Matches;
        }
        result["count"] = query is null ? search.Files.Count : search.Matches.Count;
        result["truncated"] = truncated || search.Full;
        result["skipped_binary"] = search.SkippedBinary;
        result["skipped_links"] = search.SkippedLinks;
        result["skipped_special"] = search.SkippedSpecial;
        return result;
    }

    /// <summary>The kind and workspace-relative real path of a link's target when it stays inside the workspace; <c>Missing</c> otherwise.</summary>
    private (FileKind Kind, string? Target) FollowInside(string link)
    {
        try
        {
            var target = workspace.Relative(workspace.Resolve(link));
            return (workspace.Stat(target).Kind, target);
        }
        catch (WorkspaceAccessException)
        {
            return (FileKind.Missing, null);
        }
    }

    /// <summary>A directory listed a moment ago may be gone or swapped for a link by now; it is then skipped.</summary>
    private WorkspaceDirectory? TryOpen(string relative)
    {
        try
        {
            return workspace.OpenDirectory(relative);
        }
        catch (Exception ex) when (ex is IOException or WorkspaceAccessException)
        {
            return null;
        }
    }

    private sealed class Search(string? query, int maxResults)
    {
        public List<string> Files { get; } = [];

        public JsonArray Matches { get; } = [];

        public int SkippedBinary { get; set; }

        public int SkippedLinks { get; set; }

        public int SkippedSpecial { get; set; }

        public bool Full => (query is null ? Files.Count : Matches.Count) >= maxResults;

        public async Task AddAsync(string relative, Func<FileStream> open, long maxBytes, CancellationToken cancellationToken)
        {
            if (query is null)
            {
                Files.Add(relative);
                return;
            }

            byte[] bytes;
            try
            {
                await using var stream = open();
                (bytes, _) = await ContentSniffer.ReadUpToAsync(stream, maxBytes, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or WorkspaceAccessException)
            {
                SkippedSpecial++;
                return;
            }
            if (ContentSniffer.LooksBinary(bytes))
            {
                SkippedBinary++;
                return;
            }

            using var reader = new StringReader(Encoding.UTF8.GetString(bytes));
            var number = 0;
            while (reader.ReadLine() is { } line && !Full)
            {
                number++;
                if (line.Contains(query, StringComparison.OrdinalIgnoreCase))
                {
                    var text = line.Trim();
                    Matches.Add(new JsonObject
                    {
                        ["path"] = relative,
                        ["line"] = number,
                        ["text"] = text.Length > MaxLineText ? text[..MaxLineText] : text,
                    });
                }
            }
        }
    }
}
