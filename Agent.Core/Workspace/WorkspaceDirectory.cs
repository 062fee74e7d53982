using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Agent.Core.Workspace.LinuxCalls;

namespace Agent.Core.Workspace;

/// <summary>
/// An open directory of the workspace. Everything below it is reached by one name at a time relative to this
/// handle, never following a link, so renaming or swapping anything above it cannot redirect what it touches.
/// </summary>
public sealed class WorkspaceDirectory : IDisposable
{
    private readonly SafeFileHandle _handle;

    internal WorkspaceDirectory(SafeFileHandle handle, string relativePath)
    {
        _handle = handle;
        RelativePath = relativePath;
    }

    /// <summary>Where this directory was opened, relative to the workspace root ('.' for the root), for output.</summary>
    public string RelativePath { get; }

    private int Fd => (int)_handle.DangerousGetHandle();

    /// <summary>The workspace-relative path of an entry of this directory, with '/' separators.</summary>
    public string RelativeOf(string name) => RelativePath == "." ? name : $"{RelativePath}/{name}";

    /// <summary>The entry's kind, size and link count, without following a link.</summary>
    public EntryInfo Stat(string name)
    {
        CheckName(name);
        return NativeFiles.StatAt(Fd, name);
    }

    /// <summary>The names in this directory ('.' and '..' left out), in no particular order.</summary>
    public List<string> ListNames()
    {
        // fdopendir takes ownership of the descriptor it is given, so it gets a duplicate.
        var copy = Dup(Fd);
        if (copy < 0)
        {
            throw new IOException($"Cannot list the directory (errno {LastError}).");
        }
        var stream = Fdopendir(copy);
        if (stream == IntPtr.Zero)
        {
            var errno = LastError;
            Close(copy);
            throw new IOException($"Cannot list the directory (errno {errno}).");
        }
        try
        {
            var names = new List<string>();
            // struct dirent on glibc (64-bit): d_ino(8) d_off(8) d_reclen(2) d_type(1), then d_name.
            while (Readdir(stream) is var entry && entry != IntPtr.Zero)
            {
                var name = Marshal.PtrToStringUTF8(entry + 19);
                if (name is not (null or "." or ".."))
                {
                    names.Add(name);
                }
            }
            return names;
        }
        finally
        {
            Closedir(stream);
        }
    }

    /// <summary>Opens a subdirectory; a link, or anything that is not a directory, is refused by the kernel.</summary>
    public WorkspaceDirectory OpenDirectory(string name)
    {
        CheckName(name);
        var fd = Openat(Fd, name, ORdOnly | ODirectory | ONoFollow | OCloExec, 0);
        return fd >= 0
            ? new WorkspaceDirectory(new SafeFileHandle(fd, ownsHandle: true), RelativeOf(name))
            : throw OpenFailure(LastError, RelativeOf(name));
    }

    /// <summary>Creates a subdirectory (an existing one is fine) and opens it.</summary>
    public WorkspaceDirectory CreateDirectory(string name)
    {
        CheckName(name);
        if (Mkdirat(Fd, name, Convert.ToInt32("777", 8)) != 0 && LastError != EEXIST)
        {
            throw new IOException($"Cannot create directory '{RelativeOf(name)}' (errno {LastError}).");
        }
        return OpenDirectory(name);
    }

    /// <summary>
    /// Opens a regular file of this directory for reading. Links, FIFOs, devices, sockets and directories are
    /// refused; O_NONBLOCK keeps a file swapped for a FIFO after the check from blocking, and the check is
    /// repeated on the open descriptor, so what is read is exactly what was checked. A file with more than one
    /// link is refused unless <paramref name="allowHardLinks"/>.
    /// </summary>
    public FileStream OpenRead(string name, bool allowHardLinks, out long size)
    {
        var before = Stat(name);
        if (before.Kind == FileKind.Missing)
        {
            throw new FileNotFoundException("File not found.", RelativeOf(name));
        }
        if (before.Kind != FileKind.Regular)
        {
            throw before.Kind == FileKind.SymbolicLink
                ? LinkAppeared(RelativeOf(name))
                : new NotRegularFileException(before.Kind);
        }
        var fd = Openat(Fd, name, ORdOnly | ONonBlock | ONoFollow | OCloExec, 0);
        if (fd < 0)
        {
            throw OpenFailure(LastError, RelativeOf(name));
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var opened = NativeFiles.StatAt(fd, "");
            if (opened.Kind != FileKind.Regular)
            {
                throw new NotRegularFileException(opened.Kind);
            }
            if (opened.IsHardLinked && !allowHardLinks)
            {
                throw HardLinked(RelativeOf(name), opened.Links);
            }
            size = opened.Size;
            return new FileStream(handle, FileAccess.Read, bufferSize: 1);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Creates a new file that did not exist (O_EXCL: an existing entry or link at that name is never reused).</summary>
    public FileStream CreateNew(string name)
    {
        CheckName(name);
        var fd = Openat(Fd, name, OWrOnly | OCreat | OExcl | ONoFollow | OCloExec, Convert.ToInt32("666", 8));
        return fd >= 0
            ? new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, bufferSize: 1)
            : throw new IOException($"Cannot create '{RelativeOf(name)}' (errno {LastError}).");
    }

    /// <summary>Renames an entry to another name in this same directory, replacing what was there (a link is replaced, not followed).</summary>
    public void Rename(string from, string to)
    {
        CheckName(from);
        CheckName(to);
        if (Renameat(Fd, from, Fd, to) != 0)
        {
            throw new IOException($"Cannot rename to '{RelativeOf(to)}' (errno {LastError}).");
        }
    }

    /// <summary>Removes a file name from this directory; a name that is already gone is fine.</summary>
    public void Delete(string name)
    {
        CheckName(name);
        if (Unlinkat(Fd, name, 0) != 0 && LastError != ENOENT)
        {
            throw new IOException($"Cannot delete '{RelativeOf(name)}' (errno {LastError}).");
        }
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>
    /// Walks down from <paramref name="start"/> (which it owns from then on), one directory per step: step
    /// <c>i</c> opens the next level from the current one. Each handle but the last is closed on the way, and the
    /// current one too when a step throws, so a refused walk leaks no descriptor.
    /// </summary>
    internal static WorkspaceDirectory Descend(WorkspaceDirectory start, int steps, Func<WorkspaceDirectory, int, WorkspaceDirectory> step)
    {
        var current = start;
        try
        {
            for (var i = 0; i < steps; i++)
            {
                var next = step(current, i);
                current.Dispose();
                current = next;
            }
            return current;
        }
        catch
        {
            current.Dispose();
            throw;
        }
    }

    internal static Exception OpenFailure(int errno, string relative) => errno switch
    {
        ENOENT => new FileNotFoundException("Not found.", relative),
        ELOOP => LinkAppeared(relative),
        ENOTDIR or EXDEV or EAGAIN => new WorkspaceAccessException($"Path '{relative}' changed while being opened; try again."),
        _ => new IOException($"Cannot open '{relative}' (errno {errno})."),
    };

    internal static WorkspaceAccessException LinkAppeared(string relative) =>
        new($"Path '{relative}' changed while being opened: a symbolic link appeared where a file or directory was checked.");

    internal static WorkspaceAccessException HardLinked(string relative, uint links) =>
        new($"File '{relative}' has {links} hard links; its other names may be outside the workspace. Set ALLOW_HARD_LINKS (Tools:AllowHardLinks) to true to allow it.");

    /// <summary>One name, never a path: the callers walk paths themselves.</summary>
    private static void CheckName(string name)
    {
        if (name.Length == 0 || name is "." or ".." || name.Contains('/') || name.Contains('\0'))
        {
            throw new WorkspaceAccessException($"'{name}' is not a single file name.");
        }
    }
}
