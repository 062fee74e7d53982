using Agent.Core.Workspace;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agent.Web.Health;

/// <summary>
/// Healthy when the workspace directory exists and is writable. Nothing is written to find out: a probe file per
/// request showed up in the agent's own listings and searches while it existed.
/// </summary>
public sealed class WorkspaceHealthCheck(WorkspaceRoot workspace) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(!Directory.Exists(workspace.FullPath) ? HealthCheckResult.Unhealthy("Workspace directory is missing.")
            : !workspace.IsWritable() ? HealthCheckResult.Unhealthy("Workspace directory is not writable.")
            : HealthCheckResult.Healthy());
}
