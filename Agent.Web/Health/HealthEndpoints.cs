using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agent.Web.Health;

public static class HealthEndpoints
{
    public static readonly string Version = typeof(HealthEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", GetHealth)
            .WithName("GetHealth")
            .WithSummary("Agent health")
            .WithDescription("Database and workspace checks. No authentication. 503 when unhealthy.")
            .WithTags("Health")
            .AllowAnonymous()
            .DisableRateLimiting();
        return app;
    }

    internal static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetHealth(
        HealthCheckService checks, TimeProvider clock, CancellationToken cancellationToken)
    {
        var report = await checks.CheckHealthAsync(cancellationToken);
        var healthy = report.Status == HealthStatus.Healthy;
        var body = new HealthResponse(healthy ? "healthy" : "unhealthy", Version, clock.GetUtcNow(),
            healthy ? null : report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).ToDictionary(e => e.Key, e => e.Value.Description ?? "unhealthy"));
        return healthy ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

/// <summary>The seed's health shape; <c>checks</c> names what failed and appears only when unhealthy.</summary>
public sealed record HealthResponse(
    string Status,
    string Version,
    DateTimeOffset Timestamp,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Checks = null);
