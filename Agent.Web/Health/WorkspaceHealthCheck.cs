using Agent.Core.Workspace;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agent.Web.Health;

/// <summary>Healthy when the workspace directory exists and is writable.</summary>
public sealed class WorkspaceHealthCheck(WorkspaceRoot workspace) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(workspace.FullPath))
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Workspace directory is missing."));
        }
        var probe = Path.Combine(workspace.FullPath, $".health-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return Task.FromResult(HealthCheckResult.Healthy());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Workspace directory is not writable.", ex));
        }
    }
}
