using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agent.Tests.Infrastructure;

/// <summary>A health check service that always reports the given status.</summary>
public sealed class FixedHealthCheckService(HealthStatus status) : HealthCheckService
{
    public override Task<HealthReport> CheckHealthAsync(Func<HealthCheckRegistration, bool>? predicate, CancellationToken cancellationToken = default) =>
        Task.FromResult(new HealthReport(
            new Dictionary<string, HealthReportEntry> { ["fixed"] = new(status, status.ToString(), TimeSpan.Zero, null, null) },
            TimeSpan.Zero));
}
