namespace Agent.Core.Workspace;

/// <summary>What statx says about one entry, read without following a final link: kind, size (regular files) and link count.</summary>
public readonly record struct EntryInfo(FileKind Kind, long Size, uint Links)
{
    public static readonly EntryInfo Missing = new(FileKind.Missing, 0, 0);

    /// <summary>A regular file reachable under another name too, possibly outside the workspace.</summary>
    public bool IsHardLinked => Kind == FileKind.Regular && Links > 1;
}
