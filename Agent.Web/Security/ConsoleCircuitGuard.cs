using Agent.Core.Auditing;
using Agent.Web.Api;

namespace Agent.Web.Security;

/// <summary>
/// The console circuit (/_blazor) opens and reconnects only with a live console session: a signed-out, expired or
/// revoked session cannot bring a circuit back, and no anonymous circuit is ever created.
/// </summary>
public static class ConsoleCircuitGuard
{
    public static IApplicationBuilder UseConsoleCircuitGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            // The initializer list is public script metadata that blazor.web.js may fetch on any page.
            if (!context.Request.Path.StartsWithSegments("/_blazor", out var rest) || rest == "/initializers"
                || context.User.Identity?.IsAuthenticated == true)
            {
                await next(context);
                return;
            }
            var revoked = context.Request.Cookies.ContainsKey(AuthenticationSetup.CookieName);
            context.RecordRejection(StatusCodes.Status401Unauthorized, revoked ? SecurityEventReasons.SessionRevoked : SecurityEventReasons.ConsoleSignInRequired);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new ErrorResponse("Sign in to the console first"));
        });
}
