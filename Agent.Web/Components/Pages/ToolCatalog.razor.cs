using Agent.Core.Sandbox;
using Agent.Core.Tools;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Agent.Web.Components.Pages;

/// <summary>Every registered tool with its permissions, whether it may run here, and its input schema.</summary>
public sealed partial class ToolCatalog
{
    [Inject] public required ToolRegistry Registry { get; init; }
    [Inject] public required PermissionPolicy Policy { get; init; }
    [Inject] public required CommandSandbox Sandbox { get; init; }

    internal IReadOnlyList<string> Blocked => ToolPermissions.Names(Policy.Blocked);

    internal IEnumerable<ToolRow> ToolRows => Registry.All.Select(tool =>
    {
        var denied = Policy.Deny(tool);
        var state = !Registry.IsEnabled(tool.Name) ? "disabled" : denied is not null ? "blocked" : "enabled";
        var reason = state == "disabled" ? "Switched off by DISABLED_TOOLS." : denied;
        if (tool.Name == "run_command")
        {
            reason = $"{reason} Sandbox: {Sandbox.Status.Mode}. {Sandbox.Status.Detail}".TrimStart();
        }
        return new ToolRow(tool.Name, tool.Description, ToolPermissions.Names(tool.Permissions), state, reason, tool.InputSchema.ToJson());
    });

    internal static Color StateColor(string state) => state switch
    {
        "enabled" => Color.Success,
        "blocked" => Color.Warning,
        _ => Color.Default,
    };

    internal sealed record ToolRow(string Name, string Description, IReadOnlyList<string> Permissions, string State, string? Reason, string Schema);
}
