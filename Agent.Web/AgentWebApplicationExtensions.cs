using Agent.Web.Api;
using Agent.Web.Components;
using Agent.Web.Health;

namespace Agent.Web;

public static class AgentWebApplicationExtensions
{
    /// <summary>Middleware order matters: errors first, then CORS, auth, rate limits; endpoints last.</summary>
    public static WebApplication UseAgentPipeline(this WebApplication app)
    {
        app.UseApiErrorHandling();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapAgentEndpoints(this WebApplication app)
    {
        app.MapHealthApi();
        app.MapAgentApi();
        app.MapAuditApi();
        app.MapOpenApi("/openapi/v1.json");
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
