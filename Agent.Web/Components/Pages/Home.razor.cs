using Agent.Core.Auditing;
using Agent.Web.Health;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agent.Web.Components.Pages;

public sealed partial class Home
{
    [Inject] public required HealthCheckService HealthChecks { get; init; }
    [Inject] public required AuditQueries Audit { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }

    internal HealthResponse? Health { get; private set; }
    internal IReadOnlyList<RunSummary>? LatestRuns { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        var report = await HealthChecks.CheckHealthAsync();
        Health = new HealthResponse(report.Status == HealthStatus.Healthy ? "healthy" : "unhealthy", HealthEndpoints.Version, Clock.GetUtcNow());
        LatestRuns = await Audit.LatestAsync(10);
    }
}
