using Agent.Web.Api;
using Agent.Web.Approvals;
using Agent.Web.Components;
using Agent.Web.Health;
using Agent.Web.Hosting;
using Agent.Web.Runs;
using Agent.Web.Security;

namespace Agent.Web;

public static class AgentWebApplicationExtensions
{
    /// <summary>
    /// Middleware order matters: errors first, the live channels' shutdown gate, then CORS and the live-channel origin check, authentication, the limit on
    /// unauthenticated callers (before anything answers them 401), the console-circuit guard, body limits, authorization.
    /// Per-key run limits are endpoint filters on the routes that start runs.
    /// </summary>
    public static WebApplication UseAgentPipeline(this WebApplication app)
    {
        app.UseApiErrorHandling();
        app.UseLiveConnectionShutdown();
        app.UseSecurityHeaders();
        app.UseCors();
        app.UseMethodNotAllowedForApi();
        app.UseLiveChannelOriginCheck();
        app.UseAuthentication();
        app.UseUnauthenticatedRequestLimit();
        app.UseConsoleCircuitGuard();
        // After authentication so that a rejected body is audited with the key's name.
        app.UseRequestBodyLimit();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapAgentEndpoints(this WebApplication app)
    {
        app.MapHealthApi();
        app.MapAgentApi();
        app.MapAsyncRunApi();
        app.MapHub<RunsHub>(RunsHub.Path);
        app.MapSignOut();
        app.MapConsoleEndpoints();
        app.MapAuditApi();
        app.MapApprovalApi();
        app.MapAgentOpenApi();
        app.MapStaticAssets();
        // Our own CSP already says frame-ancestors 'none'; Blazor must not add a second, weaker policy header.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }
}
