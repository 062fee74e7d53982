using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Agent.Core.Auditing;
using Agent.Core.Configuration;
using Agent.Web.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Agent.Web.Security;

/// <summary>
/// Requests without valid credentials are limited per client address before anything answers them with 401: a fixed
/// one-minute window of <c>RATE_LIMIT_UNAUTHENTICATED</c> per IPv4 address or IPv6 /64. Valid keys and console sessions
/// are never counted here, so a flood from one address does not lock out a legitimate client behind it. Anonymous
/// reads (health, static files, the sign-in page, the API docs) are not counted; sign-in posts and protected routes are.
/// </summary>
public sealed class UnauthenticatedRequestLimit : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly int _permits;

    public UnauthenticatedRequestLimit(IOptions<LimitsOptions> limits)
    {
        _permits = limits.Value.UnauthenticatedPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, _permits),
            Window = Window,
            QueueLimit = 0,
        }));
    }

    public bool Enabled => _permits > 0;

    /// <summary>The partition of a client: its IPv4 address, or the /64 of an IPv6 one (a host usually holds a whole /64).</summary>
    public static string PartitionOf(IPAddress? address)
    {
        if (address is null)
        {
            return "local";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!Enabled || context.User.Identity?.IsAuthenticated == true || IsAnonymousRead(context))
        {
            await next(context);
            return;
        }
        using var lease = _limiter.AttemptAcquire(PartitionOf(context.Connection.RemoteIpAddress));
        if (lease.IsAcquired)
        {
            await next(context);
            return;
        }
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
        context.RecordRejection(StatusCodes.Status429TooManyRequests, SecurityEventReasons.RateLimited);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await context.Response.WriteAsJsonAsync(new ErrorResponse($"Rate limit exceeded: {_permits} unauthenticated requests per 1 minute"));
    }

    private static bool IsAnonymousRead(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            return false;
        }
        var endpoint = context.GetEndpoint();
        return endpoint is not null
            && (endpoint.Metadata.GetMetadata<IAuthorizeData>() is null || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null);
    }

    public void Dispose() => _limiter.Dispose();
}

public static class UnauthenticatedRequestLimitExtensions
{
    public static IApplicationBuilder UseUnauthenticatedRequestLimit(this IApplicationBuilder app)
    {
        var limit = app.ApplicationServices.GetRequiredService<UnauthenticatedRequestLimit>();
        return app.Use(next => context => limit.InvokeAsync(context, next));
    }
}
