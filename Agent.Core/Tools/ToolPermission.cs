namespace Agent.Core.Tools;

/// <summary>What a tool may touch. The policy blocks tools that need a blocked permission before they run.</summary>
[Flags]
public enum ToolPermission
{
    None = 0,
    Read = 1,
    Write = 2,
    Execute = 4,
    Network = 8,
}

public static class ToolPermissions
{
    public static bool TryParse(string value, out ToolPermission permission) =>
        Enum.TryParse(value, ignoreCase: true, out permission)
        && permission is ToolPermission.Read or ToolPermission.Write or ToolPermission.Execute or ToolPermission.Network;

    /// <summary>Lower-case names of the set flags, in declaration order: <c>["read", "write"]</c>.</summary>
    public static IReadOnlyList<string> Names(ToolPermission permissions) =>
        Enum.GetValues<ToolPermission>()
            .Where(p => p != ToolPermission.None && permissions.HasFlag(p))
            .Select(p => p.ToString().ToLowerInvariant())
            .ToArray();
}
