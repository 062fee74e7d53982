using System.Runtime.InteropServices;

namespace Agent.Core.Workspace;

/// <summary>
/// The libc calls the workspace reaches files through: every one takes a directory descriptor and one name, so
/// nothing is looked up by a path string from the process's root. Flag values are the Linux ABI's.
/// </summary>
internal static class LinuxCalls
{
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtEmptyPath = 0x1000;
    public const int WOk = 2;
    public const int ORdOnly = 0;
    public const int OWrOnly = 1;
    public const int OCreat = 0x40;
    public const int OExcl = 0x80;
    public const int ONonBlock = 0x800;
    public const int OCloExec = 0x80000;
    public const ulong ResolveNoMagicLinks = 0x02;
    public const ulong ResolveNoSymlinks = 0x04;
    public const ulong ResolveBeneath = 0x08;
    public const int ENOENT = 2;
    public const int EPERM = 1;
    public const int EAGAIN = 11;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int ENOSYS = 38;
    public const int ELOOP = 40;

    // openat2 has one number on every architecture (the unified syscall table since Linux 5.6).
    private const long SysOpenat2 = 437;

    private static readonly bool Arm = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;

    // O_DIRECTORY and O_NOFOLLOW differ between the x86 and Arm ABIs.
    public static readonly int ODirectory = Arm ? 0x4000 : 0x10000;
    public static readonly int ONoFollow = Arm ? 0x8000 : 0x20000;

    [StructLayout(LayoutKind.Sequential)]
    public struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    public static int LastError => Marshal.GetLastPInvokeError();

    /// <summary>openat2(2) through syscall(2): glibc has no wrapper for it.</summary>
    public static int Openat2(int dirfd, string path, int flags, ulong resolve)
    {
        var how = new OpenHow { Flags = (ulong)(uint)flags, Mode = 0, Resolve = resolve };
        return (int)Syscall(SysOpenat2, dirfd, path, ref how, (nuint)Marshal.SizeOf<OpenHow>());
    }

    // DllImport rather than LibraryImport: the source-generated form needs unsafe code enabled for the project.
    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern long Syscall(long number, int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, ref OpenHow how, nuint size);

    [DllImport("libc", EntryPoint = "openat", SetLastError = true)]
    public static extern int Openat(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    public static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport("libc", EntryPoint = "mkdirat", SetLastError = true)]
    public static extern int Mkdirat(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

    [DllImport("libc", EntryPoint = "renameat", SetLastError = true)]
    public static extern int Renameat(int olddirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldpath, int newdirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string newpath);

    [DllImport("libc", EntryPoint = "unlinkat", SetLastError = true)]
    public static extern int Unlinkat(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "access", SetLastError = true)]
    public static extern int Access([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

    [DllImport("libc", EntryPoint = "dup", SetLastError = true)]
    public static extern int Dup(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    public static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "fdopendir", SetLastError = true)]
    public static extern IntPtr Fdopendir(int fd);

    [DllImport("libc", EntryPoint = "readdir", SetLastError = true)]
    public static extern IntPtr Readdir(IntPtr directory);

    [DllImport("libc", EntryPoint = "closedir", SetLastError = true)]
    public static extern int Closedir(IntPtr directory);
}
