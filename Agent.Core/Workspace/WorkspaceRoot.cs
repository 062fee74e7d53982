using System.Text.RegularExpressions;
using Agent.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Agent.Core.Workspace;

/// <summary>
/// The one directory tools may touch. Every path a tool receives goes through <see cref="Resolve"/>, which accepts
/// only relative paths and returns the real location (every symbolic link resolved) after checking it stays inside.
/// Tools then use only that real path, so what is checked is what is opened.
/// </summary>
public sealed partial class WorkspaceRoot
{
    /// <summary>As in Linux (ELOOP): more links than this in one path is a loop.</summary>
    public const int MaxLinkFollows = 40;

    public WorkspaceRoot(IOptions<AgentOptions> options)
    {
        var configured = Path.GetFullPath(options.Value.WorkspaceRoot);
        Directory.CreateDirectory(configured);
        // The root itself may be reached through a symlink (e.g. /tmp on macOS); compare against its real location.
        FullPath = Path.TrimEndingDirectorySeparator(RealPath(configured));
    }

    public string FullPath { get; }

    /// <summary>
    /// Maps a workspace-relative path to its real absolute location inside the root, or throws
    /// <see cref="WorkspaceAccessException"/>. Components that do not exist yet are kept as given.
    /// </summary>
    public string Resolve(string? relativePath)
    {
        var path = string.IsNullOrEmpty(relativePath) ? "." : relativePath;
        if (path.Contains('\0'))
        {
            throw new WorkspaceAccessException("Path contains a NUL byte.");
        }
        if (path.Contains('\\'))
        {
            throw new WorkspaceAccessException("Backslashes are not allowed in paths; use '/'.");
        }
        if (PercentEncoding().IsMatch(path))
        {
            throw new WorkspaceAccessException("Percent-encoded paths are not allowed.");
        }
        if (Path.IsPathRooted(path) || path.StartsWith('~'))
        {
            throw new WorkspaceAccessException($"Path '{path}' must be relative to the workspace.");
        }

        var lexical = Path.GetFullPath(Path.Combine(FullPath, path));
        if (!IsInside(lexical))
        {
            throw new WorkspaceAccessException($"Path '{path}' escapes the workspace.");
        }
        return ResolveLinksInside(lexical, path);
    }

    /// <summary>The path relative to the root, with '/' separators, for output.</summary>
    public string Relative(string fullPath)
    {
        var relative = Path.GetRelativePath(FullPath, fullPath).Replace(Path.DirectorySeparatorChar, '/');
        return relative.Length == 0 ? "." : relative;
    }

    /// <summary>Kind and size of an entry, without following a final link and without opening it.</summary>
    public static (FileKind Kind, long Size) Probe(string fullPath) => NativeFiles.Probe(fullPath);

    /// <summary>
    /// Opens a workspace file for reading. Throws <see cref="WorkspaceAccessException"/> for escapes,
    /// <see cref="FileNotFoundException"/> when missing and <see cref="NotRegularFileException"/> for
    /// directories, FIFOs, devices and sockets, which are never opened.
    /// </summary>
    public FileStream OpenRead(string relativePath, out string fullPath, out long size)
    {
        fullPath = Resolve(relativePath);
        var (kind, _) = Probe(fullPath);
        return kind switch
        {
            FileKind.Missing => throw new FileNotFoundException("File not found.", fullPath),
            FileKind.Regular => NativeFiles.OpenRegularForRead(fullPath, out size),
            _ => throw new NotRegularFileException(kind),
        };
    }

    public bool IsInside(string fullPath) =>
        fullPath == FullPath || fullPath.StartsWith(FullPath + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>
    /// Walks the path one component at a time from the real root, expanding each link where it is found (as the
    /// kernel does), so relative link targets are taken from the link's real directory. Leaving the root at any
    /// step is refused, whatever comes after.
    /// </summary>
    private string ResolveLinksInside(string lexical, string original)
    {
        var pending = new Stack<string>(Components(Path.GetRelativePath(FullPath, lexical)).Reverse());
        var current = FullPath;
        var follows = 0;
        var exists = true;
        while (pending.TryPop(out var part))
        {
            if (part is "" or ".")
            {
                continue;
            }
            if (part == "..")
            {
                // The caller's path is already normalised, so '..' here comes from a link target.
                current = current == FullPath
                    ? throw new WorkspaceAccessException($"Path '{original}' goes through a symbolic link that points outside the workspace.")
                    : Path.GetDirectoryName(current)!;
                continue;
            }

            var next = Path.Combine(current, part);
            if (exists && new FileInfo(next).LinkTarget is { } target)
            {
                if (++follows > MaxLinkFollows)
                {
                    throw new WorkspaceAccessException($"Path '{original}' has too many levels of symbolic links.");
                }
                if (Path.IsPathRooted(target))
                {
                    var absolute = Path.GetFullPath(target);
                    if (!IsInside(absolute))
                    {
                        throw new WorkspaceAccessException($"Path '{original}' goes through a symbolic link that points outside the workspace.");
                    }
                    current = FullPath;
                    target = Path.GetRelativePath(FullPath, absolute);
                }
                foreach (var linked in Components(target).Reverse())
                {
                    pending.Push(linked);
                }
                continue;
            }
            exists = exists && (File.Exists(next) || Directory.Exists(next));
            current = next;
        }
        return current;
    }

    private static IEnumerable<string> Components(string path) =>
        path.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Resolves links in every existing component of an absolute path (used once, for the root).</summary>
    private static string RealPath(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath)!;
        var current = root;
        foreach (var part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                current = RealPath(target.FullName);
            }
        }
        return current;
    }

    [GeneratedRegex("%[0-9a-fA-F]{2}")]
    private static partial Regex PercentEncoding();
}
