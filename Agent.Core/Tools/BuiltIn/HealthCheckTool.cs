using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Agent.Core.Sandbox;
using Agent.Core.Workspace;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>Reports the agent's status, platform, .NET version, uptime, workspace and the command sandbox's mode.</summary>
public sealed class HealthCheckTool(WorkspaceRoot workspace, CommandSandbox sandbox, TimeProvider clock) : AgentTool<NoInput>
{

    public override string Name => "health_check";

    public override string Description => "Check the agent's health status and system information.";

    public override ToolPermission Permissions => ToolPermission.None;

    public override Task<JsonNode?> ExecuteAsync(NoInput input, CancellationToken cancellationToken)
    {
        var started = new DateTimeOffset(Process.GetCurrentProcess().StartTime.ToUniversalTime());
        return Task.FromResult<JsonNode?>(new JsonObject
        {
            ["status"] = Directory.Exists(workspace.FullPath) ? "healthy" : "unhealthy",
            ["platform"] = RuntimeInformation.OSDescription,
            ["architecture"] = RuntimeInformation.OSArchitecture.ToString(),
            ["dotnet_version"] = Environment.Version.ToString(),
            ["uptime_seconds"] = (long)(clock.GetUtcNow() - started).TotalSeconds,
            ["workspace"] = workspace.FullPath,
            ["command_sandbox"] = sandbox.Status.Mode,
            ["command_sandbox_detail"] = sandbox.Status.Detail,
        });
    }
}
