using Agent.Core.Auditing;
using Agent.Web.Api;
using Agent.Web.Configuration;
using Microsoft.Extensions.Options;

namespace Agent.Web.Security;

/// <summary>
/// Origin check on every live channel: the SignalR hub, the console circuit (/_blazor), Server-Sent Events and any
/// WebSocket upgrade. A browser always names the page's origin there; it must be this server's own origin (scheme,
/// host and port: another port on the same host is another origin) or one of <c>CORS_ORIGINS</c>. Browsers send cookies
/// to every port of a host, so without this a page on another port could ride the operator's session. Requests without
/// an Origin (non-browser clients, which need a key anyway) pass. A refusal is 403 JSON and a security event.
/// </summary>
public static class LiveChannelOrigins
{
    public static IApplicationBuilder UseLiveChannelOriginCheck(this IApplicationBuilder app)
    {
        var allowed = app.ApplicationServices.GetRequiredService<IOptions<ServerOptions>>().Value.CorsOriginList
            .Select(o => Uri.TryCreate(o, UriKind.Absolute, out var uri) ? Normalize(uri) : null)
            .OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return app.Use(async (context, next) =>
        {
            if (!IsLiveChannel(context.Request) || IsAllowed(context.Request, allowed))
            {
                await next(context);
                return;
            }
            context.RecordRejection(StatusCodes.Status403Forbidden, SecurityEventReasons.ForeignOrigin);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsJsonAsync(new ErrorResponse("Forbidden: live channels accept only this server's own origin and CORS_ORIGINS"));
        });
    }

    public static bool IsLiveChannel(HttpRequest request) =>
        request.Path.StartsWithSegments("/hubs")
        || request.Path.StartsWithSegments("/_blazor")
        || request.Headers.Upgrade.Any(u => string.Equals(u, "websocket", StringComparison.OrdinalIgnoreCase))
        || request.Headers.Accept.Any(a => a?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true)
        || (request.Path.StartsWithSegments("/agent/runs") && request.Path.Value?.EndsWith("/events", StringComparison.Ordinal) == true);

    private static bool IsAllowed(HttpRequest request, HashSet<string> allowed)
    {
        var origins = request.Headers.Origin;
        if (origins.Count == 0)
        {
            return true;
        }
        if (origins.Count > 1 || !Uri.TryCreate(origins[0], UriKind.Absolute, out var origin) || origin.Scheme is not ("http" or "https"))
        {
            // "null" (sandboxed frames, files) and anything malformed are foreign.
            return false;
        }
        var own = Uri.TryCreate($"{request.Scheme}://{request.Host}", UriKind.Absolute, out var self) ? Normalize(self) : null;
        var presented = Normalize(origin);
        return string.Equals(presented, own, StringComparison.OrdinalIgnoreCase) || allowed.Contains(presented);
    }

    /// <summary>scheme://host:port with the port always explicit, so http://h and http://h:80 compare equal.</summary>
    private static string Normalize(Uri uri) => $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";
}
