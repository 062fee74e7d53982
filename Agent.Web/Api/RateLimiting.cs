using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Agent.Core.Auditing;
using Agent.Core.Configuration;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Agent.Web.Api;

/// <summary>
/// In-box ASP.NET Core rate limiting (the AspNetCoreRateLimit package is not served here; this supersedes it):
/// a fixed one-minute window of RATE_LIMIT_REQUESTS per API key, or per client IP before authentication.
/// </summary>
public static class RateLimiting
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddAgentRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AgentOptions>>((limiter, agent) =>
        {
            var settings = agent.Value;
            limiter.AddPolicy(ApiPolicies.AgentRuns, context =>
            {
                if (!settings.RateLimitEnabled)
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }
                var partition = context.User.FindFirstValue(ClaimTypes.Name) is { } keyName
                    ? "key:" + keyName
                    : "ip:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.RateLimitRequests,
                    Window = Window,
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.RecordRejection(StatusCodes.Status429TooManyRequests, SecurityEventReasons.RateLimited);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.Response.WriteAsJsonAsync(
                    new ErrorResponse($"Rate limit exceeded: {settings.RateLimitRequests} per 1 minute"), cancellationToken);
            };
        });
        return services;
    }
}
