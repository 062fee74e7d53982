using System.Text.RegularExpressions;
using Agent.Core.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;
using static Agent.Core.Workspace.LinuxCalls;

namespace Agent.Core.Workspace;

/// <summary>
/// The one directory tools may touch. Every path a tool receives goes through <see cref="Resolve"/>, which accepts
/// only relative paths and returns the real location (links inside the workspace expanded) after checking it stays
/// inside. Tools then reach that location only through a handle on the root opened once at start: openat2 with
/// RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS (or a walk of O_NOFOLLOW opens), so a link that appears after the check,
/// or a directory swapped for one, makes the open fail instead of leading outside.
/// </summary>
public sealed partial class WorkspaceRoot : IDisposable
{
    /// <summary>As in Linux (ELOOP): more links than this in one path is a loop.</summary>
    public const int MaxLinkFollows = 40;

    public WorkspaceRoot(IOptions<AgentOptions> options)
    {
        var configured = Path.GetFullPath(options.Value.WorkspaceRoot);
        Directory.CreateDirectory(configured);
        // The root itself may be reached through a symlink (e.g. /tmp on macOS); compare against its real location.
        FullPath = Path.TrimEndingDirectorySeparator(PathLayout.RealPath(configured));
        if (OperatingSystem.IsLinux())
        {
            var fd = Openat(AtFdCwd, FullPath, ORdOnly | ODirectory | OCloExec, 0);
            _root = fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw new IOException($"Cannot open the workspace (errno {LastError}).");
        }
    }

    private readonly SafeFileHandle? _root;

    public string FullPath { get; }

    /// <summary>Whether directories are opened with one openat2 call; cleared when the kernel lacks it (ENOSYS), and by tests of the fallback walk.</summary>
    internal bool UseOpenat2 { get; set; } = true;

    public void Dispose() => _root?.Dispose();

    /// <summary>
    /// Opens a directory given by a path <see cref="Resolve"/> produced, relative to the root ('.' is the root).
    /// No link is followed on the way; <see cref="DirectoryNotFoundException"/> when a component is missing or not a directory.
    /// </summary>
    public WorkspaceDirectory OpenDirectory(string relative)
    {
        var root = _root ?? throw new PlatformNotSupportedException("The file tools need Linux (openat, statx).");
        var rootFd = (int)root.DangerousGetHandle();
        if (relative is "." or "")
        {
            return Adopt(Openat(rootFd, ".", ORdOnly | ODirectory | OCloExec, 0), ".");
        }
        if (UseOpenat2)
        {
            var fd = Openat2(rootFd, relative, ORdOnly | ODirectory | OCloExec, ResolveBeneath | ResolveNoSymlinks | ResolveNoMagicLinks);
            if (fd >= 0)
            {
                return new WorkspaceDirectory(new SafeFileHandle(fd, ownsHandle: true), relative);
            }
            var errno = LastError;
            if (errno != ENOSYS)
            {
                throw errno is ENOENT or ENOTDIR
                    ? new DirectoryNotFoundException($"Directory '{relative}' does not exist.")
                    : WorkspaceDirectory.OpenFailure(errno, relative);
            }
            UseOpenat2 = false;
        }
        return WalkTo(relative);
    }

    /// <summary>Opens the directory holding the last component of a resolved path and returns that component's name.</summary>
    public WorkspaceDirectory OpenParent(string relative, out string name)
    {
        var slash = relative.LastIndexOf('/');
        name = relative[(slash + 1)..];
        return OpenDirectory(slash < 0 ? "." : relative[..slash]);
    }

    /// <summary>Kind, size and link count of the entry at a resolved path, through the root handle.</summary>
    public EntryInfo Stat(string relative)
    {
        if (relative is "." or "")
        {
            return new EntryInfo(FileKind.Directory, 0, 1);
        }
        try
        {
            using var parent = OpenParent(relative, out var name);
            return parent.Stat(name);
        }
        catch (DirectoryNotFoundException)
        {
            return EntryInfo.Missing;
        }
    }

    /// <summary>The fallback without openat2: one O_NOFOLLOW | O_DIRECTORY open per component, each relative to the last.</summary>
    private WorkspaceDirectory WalkTo(string relative)
    {
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return WorkspaceDirectory.Descend(OpenDirectory("."), parts.Length, (current, i) =>
        {
            var kind = current.Stat(parts[i]).Kind;
            if (kind == FileKind.SymbolicLink)
            {
                throw WorkspaceDirectory.LinkAppeared(current.RelativeOf(parts[i]));
            }
            if (kind != FileKind.Directory)
            {
                throw new DirectoryNotFoundException($"Directory '{relative}' does not exist.");
            }
            return current.OpenDirectory(parts[i]);
        });
    }

    private static WorkspaceDirectory Adopt(int fd, string relative) => fd >= 0
        ? new WorkspaceDirectory(new SafeFileHandle(fd, ownsHandle: true), relative)
        : throw new IOException($"Cannot open the workspace (errno {LastError}).");

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
    /// Whether the workspace directory still exists and this process may create files in it, asked of the kernel
    /// (<c>access(2)</c>, which also answers no on a read-only mount) without writing anything into the agent's files.
    /// </summary>
    public bool IsWritable() => LinuxCalls.Access(FullPath, LinuxCalls.WOk) == 0;

    /// <summary>
    /// Opens a workspace file for reading. Throws <see cref="WorkspaceAccessException"/> for escapes, links that
    /// appeared after the check and (unless <paramref name="allowHardLinks"/>) hard-linked files,
    /// <see cref="FileNotFoundException"/> when missing and <see cref="NotRegularFileException"/> for
    /// directories, FIFOs, devices and sockets, which are never opened.
    /// </summary>
    public FileStream OpenRead(string relativePath, bool allowHardLinks, out string fullPath, out long size)
    {
        fullPath = Resolve(relativePath);
        var relative = Relative(fullPath);
        if (relative == ".")
        {
            throw new NotRegularFileException(FileKind.Directory);
        }
        try
        {
            using var parent = OpenParent(relative, out var name);
            return parent.OpenRead(name, allowHardLinks, out size);
        }
        catch (DirectoryNotFoundException)
        {
            throw new FileNotFoundException("File not found.", relative);
        }
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

    [GeneratedRegex("%[0-9a-fA-F]{2}")]
    private static partial Regex PercentEncoding();
}
