namespace Agent.Web.Security;

/// <summary>
/// Security headers on every response. The console runs under a strict content security policy
/// (inline styles only, which MudBlazor needs); the API docs pages get the little more their bundled UIs need.
/// </summary>
public static class SecurityHeaders
{
    private const string ConsolePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    // Swagger UI and ReDoc bootstrap with inline scripts and ReDoc renders in a blob: worker.
    private const string DocsPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            var path = context.Request.Path;
            headers.ContentSecurityPolicy = path.StartsWithSegments("/docs") || path.StartsWithSegments("/redoc") ? DocsPolicy : ConsolePolicy;
            return next(context);
        });
}
