namespace Agent.Core.Workspace;

/// <summary>What a directory entry is, read without following a final symbolic link (lstat semantics).</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
    Unknown,
}

public static class FileKindNames
{
    /// <summary>The name used in tool output: <c>file</c>, <c>directory</c>, <c>symlink</c>, <c>fifo</c>, ...</summary>
    public static string ToWire(this FileKind kind) => kind switch
    {
        FileKind.Regular => "file",
        FileKind.Directory => "directory",
        FileKind.SymbolicLink => "symlink",
        FileKind.Fifo => "fifo",
        FileKind.CharacterDevice => "character_device",
        FileKind.BlockDevice => "block_device",
        FileKind.Socket => "socket",
        FileKind.Missing => "missing",
        _ => "unknown",
    };
}
