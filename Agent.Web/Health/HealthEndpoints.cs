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
        var body = HealthResponse.From(await checks.CheckHealthAsync(cancellationToken), clock);
        return body.IsHealthy ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

/// <summary>The seed's health shape; <c>checks</c> names what failed and appears only when unhealthy.</summary>
public sealed record HealthResponse(
    string Status,
    string Version,
    DateTimeOffset Timestamp,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Checks = null)
{
    [JsonIgnore]
    public bool IsHealthy => Status == "healthy";

    /// <summary>The one mapping from a health report to the seed's shape, for the endpoint and the console alike.</summary>
    public static HealthResponse From(HealthReport report, TimeProvider clock) =>
        report.Status == HealthStatus.Healthy
            ? new("healthy", HealthEndpoints.Version, clock.GetUtcNow())
            : new("unhealthy", HealthEndpoints.Version, clock.GetUtcNow(),
                report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).ToDictionary(e => e.Key, e => e.Value.Description ?? "unhealthy"));
}
