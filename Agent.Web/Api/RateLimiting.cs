using System.Globalization;
using System.Threading.RateLimiting;
using Agent.Core.Auditing;
using Agent.Web.Configuration;
using Agent.Web.Security;
using Microsoft.Extensions.Options;

namespace Agent.Web.Api;

/// <summary>
/// RATE_LIMIT_REQUESTS run starts per minute per key (a fixed one-minute window), shared by every door that starts a
/// run: <c>POST /agent/run</c>, <c>POST /agent/runs</c> and the console's Run page (under the operator's name). Built on
/// the in-box <c>System.Threading.RateLimiting</c> limiters (the AspNetCoreRateLimit package is not served here).
/// </summary>
public sealed class RunRateLimiter : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly ServerOptions _settings;

    public RunRateLimiter(IOptions<ServerOptions> options)
    {
        _settings = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(principal => _settings.RateLimitEnabled
            ? RateLimitPartition.GetFixedWindowLimiter(principal, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = _settings.RateLimitRequests,
                Window = Window,
                QueueLimit = 0,
            })
            : RateLimitPartition.GetNoLimiter(principal));
    }

    public string LimitText => $"Rate limit exceeded: {_settings.RateLimitRequests} per 1 minute";

    /// <summary>Takes one run start from <paramref name="principal"/>'s allowance; null when granted, else the wait.</summary>
    public TimeSpan? TryAcquire(string principal)
    {
        using var lease = _limiter.AttemptAcquire(principal);
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
    }

    public void Dispose() => _limiter.Dispose();
}

public static class RateLimiting
{
    public static IServiceCollection AddAgentRateLimiting(this IServiceCollection services)
    {
        services.AddSingleton<RunRateLimiter>();
        services.AddSingleton<UnauthenticatedRequestLimit>();
        return services;
    }

    /// <summary>Counts the route against the caller's run allowance: 429 with Retry-After and a security event past it.</summary>
    public static TBuilder RequireRunRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(RunRateLimited.Instance).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var limiter = http.RequestServices.GetRequiredService<RunRateLimiter>();
            if (limiter.TryAcquire(http.User.Name() ?? "") is { } wait)
            {
                http.RecordRejection(StatusCodes.Status429TooManyRequests, SecurityEventReasons.RateLimited);
                http.Response.Headers.RetryAfter = RetryAfterSeconds(wait);
                return TypedResults.Json(new ErrorResponse(limiter.LimitText), statusCode: StatusCodes.Status429TooManyRequests);
            }
            return await next(context);
        });

    public static string RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}

/// <summary>Endpoint metadata: the route counts against the caller's run allowance (read by the OpenAPI contract).</summary>
public sealed class RunRateLimited
{
    public static readonly RunRateLimited Instance = new();

    private RunRateLimited()
    {
    }
}
