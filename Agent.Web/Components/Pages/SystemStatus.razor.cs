using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Agent.Core.Auditing;
using Agent.Core.Configuration;
using Agent.Core.Llm;
using Agent.Core.Sandbox;
using Agent.Core.Workspace;
using Agent.Web.Configuration;
using Agent.Web.Health;
using Agent.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Agent.Web.Components.Pages;

/// <summary>What an operator needs to know about this instance. Key names only: never a key or secret.</summary>
public sealed partial class SystemStatus
{
    [Inject] public required HealthCheckService HealthChecks { get; init; }
    [Inject] public required AuditStatistics Statistics { get; init; }
    [Inject] public required IOptions<AgentOptions> Agent { get; init; }
    [Inject] public required IOptions<ServerOptions> Server { get; init; }
    [Inject] public required IOptions<LlmOptions> Llm { get; init; }
    [Inject] public required WorkspaceRoot Workspace { get; init; }
    [Inject] public required ApiKeyStore Keys { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }
    [Inject] public required CommandSandbox Sandbox { get; init; }

    internal SystemInfo? Info { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        var agent = Agent.Value;
        var server = Server.Value;
        var llm = Llm.Value;
        var provider = LlmProviders.All[llm.EffectiveProvider];
        var database = new FileInfo(Path.GetFullPath(agent.DatabasePath));
        var health = HealthResponse.From(await HealthChecks.CheckHealthAsync(), Clock);
        var uptime = Clock.GetUtcNow() - new DateTimeOffset(Process.GetCurrentProcess().StartTime.ToUniversalTime());
        Info = new SystemInfo(
            health.Status,
            HealthEndpoints.Version,
            $"{(int)uptime.TotalHours}h {uptime.Minutes}m {uptime.Seconds}s",
            RuntimeInformation.FrameworkDescription,
            RuntimeInformation.OSDescription,
            provider.Name,
            llm.EffectiveModel,
            Keys.Names,
            Workspace.FullPath,
            database.FullName,
            database.Exists ? FormatBytes(database.Length + WalSize(database)) : "not created",
            await Statistics.CountsAsync(),
            [
                ("MAX_TOOL_TIMEOUT", $"{agent.MaxToolTimeout} s"),
                ("MAX_OUTPUT_SIZE", $"{agent.MaxOutputSize} characters"),
                ("BLOCKED_PERMISSIONS", agent.BlockedPermissionList.Count == 0 ? "none" : string.Join(", ", agent.BlockedPermissionList)),
                ("DISABLED_TOOLS", agent.DisabledToolList.Count == 0 ? "none" : string.Join(", ", agent.DisabledToolList)),
                ("RATE_LIMIT", server.RateLimitEnabled ? $"{server.RateLimitRequests} per minute per key" : "off"),
                ("MAX_REQUEST_SIZE", FormatBytes(server.MaxRequestSize)),
                ("MAX_STEPS", agent.MaxSteps.ToString(CultureInfo.InvariantCulture)),
                ("RUN_TIMEOUT", $"{agent.RunTimeout} s"),
                ("LLM_TIMEOUT", $"{llm.RequestTimeout} s"),
                ("LLM_MAX_TOKENS", $"{llm.MaxOutputTokens} tokens"),
                ("CORS_ORIGINS", server.CorsOriginList.Count == 0 ? "none" : string.Join(", ", server.CorsOriginList)),
                ("SANDBOX", $"{Sandbox.Status.Mode}: {Sandbox.Status.Detail}"),
            ]);
    }

    private static long WalSize(FileInfo database)
    {
        var wal = new FileInfo(database.FullName + "-wal");
        return wal.Exists ? wal.Length : 0;
    }

    internal static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / 1024.0 / 1024:0.0} MiB",
        _ => $"{bytes / 1024.0 / 1024 / 1024:0.00} GiB",
    };

    internal sealed record SystemInfo(
        string Health, string Version, string Uptime, string Runtime, string Platform, string Provider, string Model,
        IReadOnlyList<string> KeyNames, string WorkspacePath, string DatabasePath, string DatabaseSize, AuditCounts Counts,
        IReadOnlyList<(string Name, string Value)> Limits);
}
