using System.Text.RegularExpressions;
using Agent.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Agent.Core.Workspace;

/// <summary>
/// The one directory tools may touch. Every path a tool receives goes through <see cref="Resolve"/>,
/// which accepts only relative paths whose every component, symlinks resolved, stays inside the root.
/// </summary>
public sealed partial class WorkspaceRoot
{
    public WorkspaceRoot(IOptions<AgentOptions> options)
    {
        var configured = Path.GetFullPath(options.Value.WorkspaceRoot);
        Directory.CreateDirectory(configured);
        // The root itself may be reached through a symlink (e.g. /tmp on macOS); compare against its real location.
        FullPath = Path.TrimEndingDirectorySeparator(RealPath(configured));
    }

    public string FullPath { get; }

    /// <summary>Maps a workspace-relative path to an absolute one inside the root, or throws <see cref="WorkspaceAccessException"/>.</summary>
    public string Resolve(string? relativePath)
    {
        var path = string.IsNullOrWhiteSpace(relativePath) ? "." : relativePath;
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

        var full = Path.GetFullPath(Path.Combine(FullPath, path));
        if (!IsInside(full))
        {
            throw new WorkspaceAccessException($"Path '{path}' escapes the workspace.");
        }
        EnsureNoLinkEscapes(full, path);
        return full;
    }

    /// <summary>The path relative to the root, with '/' separators, for output.</summary>
    public string Relative(string fullPath)
    {
        var relative = Path.GetRelativePath(FullPath, fullPath).Replace(Path.DirectorySeparatorChar, '/');
        return relative.Length == 0 ? "." : relative;
    }

    private bool IsInside(string fullPath) =>
        fullPath == FullPath || fullPath.StartsWith(FullPath + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>Walks every component below the root so that a link anywhere in the path (or a chain of links) cannot point out.</summary>
    private void EnsureNoLinkEscapes(string full, string original)
    {
        var current = FullPath;
        foreach (var part in Path.GetRelativePath(FullPath, full).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }
            current = Path.Combine(current, part);
            var info = new FileInfo(current);
            if (info.LinkTarget is null)
            {
                continue;
            }
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            if (target is null || !IsInside(RealPath(target.FullName)))
            {
                throw new WorkspaceAccessException($"Path '{original}' goes through a symbolic link that points outside the workspace.");
            }
        }
    }

    /// <summary>Resolves links in every existing component of an absolute path.</summary>
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
