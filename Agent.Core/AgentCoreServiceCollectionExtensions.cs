using Agent.Core.Auditing;
using Agent.Core.Configuration;
using Agent.Core.Llm;
using Agent.Core.Runs;
using Agent.Core.Tools;
using Agent.Core.Tools.BuiltIn;
using Agent.Core.Workspace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Agent.Core;

public static class AgentCoreServiceCollectionExtensions
{
    /// <summary>Options, tools, executor, orchestrator, LLM and audit store: everything but the host.</summary>
    public static IServiceCollection AddAgentCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AgentOptions>().Bind(configuration.GetSection(AgentOptions.SectionName)).ValidateOnStart();
        services.AddOptions<LlmOptions>().Bind(configuration.GetSection(LlmOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        services.AddSingleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddAgentTools();
        services.AddAgentLlm();
        services.AddAgentAudit();
        services.TryAddSingleton<IRunEventSink, NullRunEventSink>();
        services.AddSingleton<AgentRunner>();
        return services;
    }

    private static void AddAgentTools(this IServiceCollection services)
    {
        services.AddSingleton<WorkspaceRoot>();
        services.AddSingleton<IAgentTool, HealthCheckTool>();
        services.AddSingleton<IAgentTool, ListDirTool>();
        services.AddSingleton<IAgentTool, ReadFileTool>();
        services.AddSingleton<ToolRegistry>();
        services.AddSingleton<PermissionPolicy>();
        services.AddSingleton<ToolExecutor>();
    }

    private static void AddAgentLlm(this IServiceCollection services)
    {
        services.AddHttpClient(ChatServiceFactory.HttpClientName, (sp, client) =>
            {
                // The per-call deadline is the orchestrator's; the client must not cut it shorter.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.Retry.MaxRetryAttempts = 3;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(500);
                resilience.Retry.ShouldRetryAfterHeader = true;
            });
        services.AddSingleton<ToolFunctionCatalog>();
        services.AddSingleton(sp => ChatServiceFactory.Create(sp.GetRequiredService<IOptions<LlmOptions>>(), sp.GetRequiredService<IHttpClientFactory>()));
    }

    private static void AddAgentAudit(this IServiceCollection services)
    {
        services.AddDbContextFactory<AuditDbContext>((sp, db) =>
        {
            var path = Path.GetFullPath(sp.GetRequiredService<IOptions<AgentOptions>>().Value.DatabasePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            db.UseSqlite($"Data Source={path};Default Timeout=30;Pooling=True");
        });
        services.AddSingleton<IAuditWriter, EfAuditWriter>();
        services.AddSingleton<AuditQueries>();
        services.AddHostedService<AuditDatabaseInitializer>();
    }
}
