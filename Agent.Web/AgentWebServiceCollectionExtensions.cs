using Agent.Core.Configuration;
using Agent.Core.Runs;
using Agent.Web.Api;
using Agent.Web.Approvals;
using Agent.Web.Configuration;
using Agent.Web.Health;
using Agent.Web.Runs;
using Agent.Web.Security;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace Agent.Web;

public static class AgentWebServiceCollectionExtensions
{
    /// <summary>The host's concerns: JSON, auth, limits, CORS, health, run events, OpenAPI and the console.</summary>
    public static IServiceCollection AddAgentWeb(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o => Core.JsonDefaults.ApplyTo(o.SerializerOptions));
        services.AddAgentWebOptions();
        services.AddSingleton<IValidateOptions<AgentOptions>, WorkspaceLayoutValidator>();
        services.AddApiErrorHandling();

        services.AddAgentAuthentication();
        services.AddAgentApprovals();
        services.AddAgentRateLimiting();
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<ServerOptions>>((cors, server) =>
            cors.AddDefaultPolicy(policy => policy
                .WithOrigins([.. server.Value.CorsOriginList])
                .WithMethods("GET", "POST")
                .WithHeaders("Content-Type", ApiKeyAuthenticationHandler.HeaderName)));
        services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>().Configure<IOptions<ServerOptions>>((kestrel, server) =>
            kestrel.Limits.MaxRequestBodySize = server.Value.MaxRequestSize);

        services.AddHealthChecks()
            .AddCheck<AuditDatabaseHealthCheck>("database")
            .AddCheck<WorkspaceHealthCheck>("workspace");

        services.AddSingleton<RunEventBroker>();
        services.AddSingleton<IRunEventSink>(sp => sp.GetRequiredService<RunEventBroker>());
        services.AddSingleton<RunManager>();
        // Runs resumed after a restart are tracked like any other (status, SSE, SignalR, cancel).
        services.AddSingleton<IResumedRunHost>(sp => sp.GetRequiredService<RunManager>());
        services.AddScoped<ConsoleRunStarter>();
        services.AddSignalR().AddJsonProtocol(o => Core.JsonDefaults.ApplyTo(o.PayloadSerializerOptions));
        services.AddHostedService<RunEventForwarder>();

        services.AddAgentOpenApi();
        // SecurityHeaders sends X-Frame-Options: DENY for every response; antiforgery must not add a second value.
        services.AddAntiforgery(o => o.SuppressXFrameOptionsHeader = true);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddConsoleSessionRevalidation();
        services.AddMudServices();
        services.AddSingleton<Components.Audit.ChainStatusMonitor>();
        return services;
    }
}
