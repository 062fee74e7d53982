using Agent.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Agent.Core.Tools;

/// <summary>Denies any tool that needs a permission listed in <c>BLOCKED_PERMISSIONS</c>.</summary>
public sealed class PermissionPolicy(IOptions<AgentOptions> options)
{
    public ToolPermission Blocked { get; } = options.Value.BlockedPermissionList
        .Select(name => ToolPermissions.TryParse(name, out var p) ? p : ToolPermission.None)
        .Aggregate(ToolPermission.None, (all, p) => all | p);

    /// <summary>Null when allowed, otherwise the reason it is not.</summary>
    public string? Deny(IAgentTool tool)
    {
        var denied = tool.Permissions & Blocked;
        return denied == ToolPermission.None
            ? null
            : $"Tool '{tool.Name}' requires blocked permission(s): {string.Join(", ", ToolPermissions.Names(denied))}.";
    }
}
