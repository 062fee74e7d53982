using Agent.Core.Configuration;
using Agent.Core.Sandbox;
using Agent.Core.Tools.BuiltIn;
using Agent.Core.Workspace;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Agent.Core.Tools;

public static class ToolsServiceCollectionExtensions
{
    /// <summary>The built-in tools, the allowlist, the permission policy and the executor; section <c>Tools</c> is bound and validated at start-up.</summary>
    public static IServiceCollection AddAgentTools(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ToolsOptions>().Bind(configuration.GetSection(ToolsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ToolsOptions>, ToolsOptionsValidator>();
        // Bound here because the executor enforces the argument size; the runner and the host read the same section.
        services.AddOptions<RunLimitsOptions>().Bind(configuration.GetSection(RunLimitsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RunLimitsOptions>, RunLimitsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.AddSingleton<HttpConnector>();
        services.AddHttpClient(HttpGetTool.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => HttpGetTool.CreateHandler(sp.GetRequiredService<HttpConnector>()));

        services.AddSingleton<WorkspaceRoot>();
        services.AddSingleton<CommandSandbox>();
        services.AddHostedService<SandboxStartupLog>();
        services.AddSingleton<IAgentTool, HealthCheckTool>();
        services.AddSingleton<IAgentTool, ListDirTool>();
        services.AddSingleton<IAgentTool, ReadFileTool>();
        services.AddSingleton<IAgentTool, SearchFilesTool>();
        services.AddSingleton<IAgentTool, WriteFileTool>();
        services.AddSingleton<IAgentTool, HttpGetTool>();
        services.AddSingleton<IAgentTool, RunCommandTool>();
        services.AddSingleton<ToolRegistry>();
        services.AddSingleton<PermissionPolicy>();
        services.AddSingleton<ToolExecutor>();
        return services;
    }

}
