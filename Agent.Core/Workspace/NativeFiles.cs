using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Agent.Core.Workspace;

/// <summary>
/// File-type checks that never open the file. .NET exposes no lstat file type (FIFO, device, socket), so on Linux
/// this calls statx(2), whose struct layout is the same on every architecture, and opens with O_NONBLOCK|O_NOFOLLOW
/// so that a file swapped for a FIFO after the check still cannot block the reader.
/// </summary>
internal static class NativeFiles
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const uint StatxSize = 0x200;
    private const int StatxBufferSize = 256;
    private const int ModeOffset = 28;
    private const int SizeOffset = 40;
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;
    private const int ELOOP = 40;
    private const int ORdOnly = 0;
    private const int ONonBlock = 0x800;
    private const int OCloExec = 0x80000;

    // O_NOFOLLOW differs between the x86 and Arm ABIs.
    private static readonly int ONoFollow =
        RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    /// <summary>The entry's kind and size (regular files only), without following a final link.</summary>
    public static (FileKind Kind, long Size) Probe(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return ProbeManaged(path);
        }
        var buffer = new byte[StatxBufferSize];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType | StatxSize, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is ENOENT or ENOTDIR
                ? (FileKind.Missing, 0)
                : throw new IOException($"Cannot inspect the file (errno {errno}).");
        }
        return Decode(buffer);
    }

    /// <summary>Opens a regular file for reading; refuses links and anything that is not a regular file, without blocking.</summary>
    public static FileStream OpenRegularForRead(string path, out long size)
    {
        if (!OperatingSystem.IsLinux())
        {
            var (kind, length) = ProbeManaged(path);
            EnsureRegular(kind);
            size = length;
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        }

        var fd = Open(path, ORdOnly | ONonBlock | ONoFollow | OCloExec, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                ENOENT or ENOTDIR => new FileNotFoundException("File not found.", path),
                ELOOP => new WorkspaceAccessException("The file was replaced by a symbolic link while being opened."),
                _ => new IOException($"Cannot open the file (errno {errno})."),
            };
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            // Checked on the open descriptor, so what is read is exactly what was checked.
            var buffer = new byte[StatxBufferSize];
            if (StatxHandle(fd, "", AtEmptyPath, StatxType | StatxSize, buffer) != 0)
            {
                throw new IOException($"Cannot inspect the file (errno {Marshal.GetLastPInvokeError()}).");
            }
            var (kind, length) = Decode(buffer);
            EnsureRegular(kind);
            size = length;
            return new FileStream(handle, FileAccess.Read, bufferSize: 1);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void EnsureRegular(FileKind kind)
    {
        if (kind != FileKind.Regular)
        {
            throw new NotRegularFileException(kind);
        }
    }

    private static (FileKind, long) Decode(byte[] buffer)
    {
        var mode = BitConverter.ToUInt16(buffer, ModeOffset);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Unknown,
        };
        return (kind, kind == FileKind.Regular ? (long)BitConverter.ToUInt64(buffer, SizeOffset) : 0);
    }

    /// <summary>Outside Linux only links, directories and files can be told apart; good enough for Windows, which has no FIFOs in the file system.</summary>
    private static (FileKind, long) ProbeManaged(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return (FileKind.SymbolicLink, 0);
        }
        if (Directory.Exists(path))
        {
            return (FileKind.Directory, 0);
        }
        if (!info.Exists)
        {
            return (FileKind.Missing, 0);
        }
        return OperatingSystem.IsWindows() ? (FileKind.Regular, info.Length) : (FileKind.Unknown, 0);
    }

    // DllImport rather than LibraryImport: the source-generated form needs unsafe code enabled for the project.
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int StatxHandle(int fd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);
}

/// <summary>A FIFO, device, socket or directory where a regular file was needed. Never opened.</summary>
public sealed class NotRegularFileException(FileKind kind) : IOException($"Not a regular file ({kind.ToWire()}).")
{
    public FileKind Kind { get; } = kind;
}
