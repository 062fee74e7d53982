using System.Runtime.InteropServices;

namespace Agent.Core.Workspace;

/// <summary>
/// File-type checks that never open the file. .NET exposes no lstat file type (FIFO, device, socket) nor link
/// count, so on Linux this calls statx(2), whose struct layout is the same on every architecture.
/// </summary>
internal static class NativeFiles
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const uint StatxNlink = 0x4;
    private const uint StatxSize = 0x200;
    private const int StatxBufferSize = 256;
    private const int NlinkOffset = 16;
    private const int ModeOffset = 28;
    private const int SizeOffset = 40;
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;

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

    /// <summary>statx of <paramref name="name"/> in the directory <paramref name="dirfd"/> (or of the descriptor itself with an empty name), never following a link.</summary>
    public static EntryInfo StatAt(int dirfd, string name)
    {
        // A directory listing stats every entry; the thread's buffer is reused rather than allocated per entry.
        var buffer = t_statBuffer ??= new byte[StatxBufferSize];
        var flags = AtSymlinkNoFollow | (name.Length == 0 ? AtEmptyPath : 0);
        if (Statx(dirfd, name, flags, StatxType | StatxSize | StatxNlink, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is ENOENT or ENOTDIR
                ? EntryInfo.Missing
                : throw new IOException($"Cannot inspect the file (errno {errno}).");
        }
        var (kind, size) = Decode(buffer);
        return new EntryInfo(kind, size, BitConverter.ToUInt32(buffer, NlinkOffset));
    }

    [ThreadStatic]
    private static byte[]? t_statBuffer;

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
}

/// <summary>A FIFO, device, socket or directory where a regular file was needed. Never opened.</summary>
public sealed class NotRegularFileException(FileKind kind) : IOException($"Not a regular file ({kind.ToWire()}).")
{
    public FileKind Kind { get; } = kind;
}
