using Agent.Core.Auditing;
using Agent.Core.Configuration;
using Agent.Core.Llm;
using Agent.Core.Policy;
using Agent.Core.Runs;
using Agent.Core.Tools;
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
        services.AddOptions<LimitsOptions>().Bind(configuration.GetSection(LimitsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddAgentTools(configuration);
        services.AddAgentLlm();
        services.AddAgentAudit(configuration);
        services.AddAgentPolicy(configuration);
        services.TryAddSingleton<IRunEventSink, NullRunEventSink>();
        services.AddSingleton<AgentRunner>();
        // Registered after the audit and policy sweeps, so resumed runs start once both have run.
        services.AddSingleton<ResumableRuns>();
        services.AddSingleton<RunResumeLoader>();
        services.TryAddSingleton<IResumedRunHost, BackgroundResumedRunHost>();
        services.AddHostedService<RunResumption>();
        return services;
    }

    /// <summary>Binds and validates every options section now; throws <see cref="OptionsValidationException"/> listing each bad key.</summary>
    public static void ValidateAgentOptions(this IServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<AgentOptions>>().Value;
        _ = services.GetRequiredService<IOptions<LlmOptions>>().Value;
        _ = services.GetRequiredService<IOptions<ToolsOptions>>().Value;
        _ = services.GetRequiredService<IOptions<RunLimitsOptions>>().Value;
        _ = services.GetRequiredService<IOptions<AuditOptions>>().Value;
        _ = services.GetRequiredService<IOptions<PolicyOptions>>().Value;
        _ = services.GetRequiredService<IOptions<LimitsOptions>>().Value;
    }
}
