using Microsoft.AspNetCore.Routing.Template;

namespace Agent.Web.Api;

/// <summary>
/// A known API route called with a method it does not have answers 405 with an <c>Allow</c> header and a JSON error.
/// Without this the console's catch-all page route would take the request and answer 404.
/// </summary>
public static class MethodNotAllowed
{
    private static readonly string[] ApiPrefixes = ["/agent", "/audit", "/health"];

    public static IApplicationBuilder UseMethodNotAllowedForApi(this IApplicationBuilder app)
    {
        var routes = new Lazy<IReadOnlyList<(TemplateMatcher Matcher, IReadOnlyList<string> Methods)>>(() =>
            app.ApplicationServices.GetRequiredService<EndpointDataSource>().Endpoints
                .OfType<RouteEndpoint>()
                .Where(e => e.RoutePattern.RawText is { } raw && ApiPrefixes.Any(p => ("/" + raw.TrimStart('/')).StartsWith(p, StringComparison.Ordinal)))
                .Select(e => (new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary()), e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []))
                .Where(r => r.Item2.Count > 0)
                .ToList());
        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            var method = context.Request.Method;
            if (HttpMethods.IsOptions(method) || !ApiPrefixes.Any(p => path.StartsWithSegments(p, StringComparison.Ordinal)))
            {
                await next(context);
                return;
            }
            var allowed = routes.Value.Where(r => r.Matcher.TryMatch(path, new RouteValueDictionary())).SelectMany(r => r.Methods).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (allowed.Count == 0 || allowed.Contains(method) || (HttpMethods.IsHead(method) && allowed.Contains(HttpMethods.Get)))
            {
                await next(context);
                return;
            }
            var list = string.Join(", ", allowed.Order(StringComparer.Ordinal));
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = list;
            await context.Response.WriteAsJsonAsync(new ErrorResponse("Method not allowed", [$"{method} {path}: allowed methods are {list}"]), context.RequestAborted);
        });
    }
}
