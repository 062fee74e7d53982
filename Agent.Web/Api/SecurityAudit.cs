using System.Security.Claims;
using Agent.Core.Auditing;

namespace Agent.Web.Api;

/// <summary>The one call each rejection path makes to leave a trace in <c>security_events</c>.</summary>
public static class SecurityAudit
{
    /// <summary>Queues the rejection with route, client IP and the key's name when authenticated; never a header or key value.</summary>
    public static void RecordRejection(this HttpContext context, int statusCode, string reason) =>
        context.RequestServices.GetRequiredService<ISecurityEventWriter>().Record(new SecurityEvent(
            context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
            statusCode,
            reason,
            context.Request.Method,
            context.Request.Path.Value ?? "/",
            context.Connection.RemoteIpAddress?.ToString(),
            context.User.Identity?.IsAuthenticated == true ? context.User.FindFirstValue(ClaimTypes.Name) : null));
}
