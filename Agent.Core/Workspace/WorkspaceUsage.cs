namespace Agent.Core.Workspace;

/// <summary>What the workspace holds: bytes of regular files and entries of any kind (files, directories, links, ...).</summary>
public readonly record struct WorkspaceUsage(long Bytes, long Entries)
{
    /// <summary>
    /// Counts the whole tree through directory handles, never following links. Stops early once either count is
    /// past its limit, since the caller then only needs to know that it is.
    /// </summary>
    public static WorkspaceUsage Measure(WorkspaceRoot workspace, long byteLimit, long entryLimit, CancellationToken cancellationToken)
    {
        long bytes = 0, entries = 0;
        var pending = new Stack<WorkspaceDirectory>();
        pending.Push(workspace.OpenDirectory("."));
        try
        {
            while (pending.TryPop(out var directory))
            {
                using (directory)
                {
                    foreach (var name in directory.ListNames())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var entry = directory.Stat(name);
                        entries++;
                        bytes += entry.Size;
                        if (bytes > byteLimit || entries > entryLimit)
                        {
                            return new WorkspaceUsage(bytes, entries);
                        }
                        if (entry.Kind == FileKind.Directory)
                        {
                            TryPush(pending, directory, name);
                        }
                    }
                }
            }
            return new WorkspaceUsage(bytes, entries);
        }
        finally
        {
            while (pending.TryPop(out var left))
            {
                left.Dispose();
            }
        }
    }

    private static void TryPush(Stack<WorkspaceDirectory> pending, WorkspaceDirectory parent, string name)
    {
        try
        {
            pending.Push(parent.OpenDirectory(name));
        }
        catch (Exception ex) when (ex is IOException or WorkspaceAccessException or UnauthorizedAccessException)
        {
            // Gone or swapped for a link since it was listed: nothing of it counts.
        }
    }
}
