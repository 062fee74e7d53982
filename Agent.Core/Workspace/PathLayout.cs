namespace Agent.Core.Workspace;

/// <summary>Compares directories by their real locations, so a symbolic link or a '..' cannot hide that one lies in another.</summary>
public static class PathLayout
{
    /// <summary>The absolute path with every link in its existing part resolved; the part that does not exist yet is kept as given.</summary>
    public static string RealPath(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var missing = new Stack<string>();
        var existing = full;
        while (!Directory.Exists(existing) && !File.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            missing.Push(Path.GetFileName(existing));
            existing = parent;
        }
        var real = ResolveLinks(existing);
        while (missing.TryPop(out var part))
        {
            real = Path.Combine(real, part);
        }
        return real;
    }

    /// <summary>True when <paramref name="inner"/> is <paramref name="outer"/> or lies below it.</summary>
    public static bool IsSameOrInside(string inner, string outer)
    {
        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        outer = Path.TrimEndingDirectorySeparator(outer);
        return string.Equals(inner, outer, comparison)
            || inner.StartsWith(outer + Path.DirectorySeparatorChar, comparison)
            || (outer == Path.GetPathRoot(outer) && inner.StartsWith(outer, comparison));
    }

    /// <summary>Resolves links in every component of an existing absolute path.</summary>
    private static string ResolveLinks(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath)!;
        var current = root;
        foreach (var part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                current = ResolveLinks(target.FullName);
            }
        }
        return current;
    }
}
