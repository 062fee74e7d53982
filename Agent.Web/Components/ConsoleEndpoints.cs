using Agent.Web.Api;

namespace Agent.Web.Components;

/// <summary>Routes the console itself calls with the operator's cookie (never with an API key).</summary>
public static class ConsoleEndpoints
{
    public static IEndpointRouteBuilder MapConsoleEndpoints(this IEndpointRouteBuilder app)
    {
        // The audit export, for the audit page's "Export CSV" link: same handler, cookie instead of key.
        app.MapGet("/console/export", AuditEndpoints.Export)
            .RequireAuthorization(ApiPolicies.Console)
            .ExcludeFromDescription();
        return app;
    }
}
