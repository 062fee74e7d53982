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
    public static IServiceCollection AddAgentTools(this IServiceCollection services)
    {
        services.AddOptions<ToolsOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<ToolsOptions>, BindToolsSection>();
        services.AddSingleton<IValidateOptions<ToolsOptions>, ToolsOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HttpGetTool.HttpClientName).ConfigurePrimaryHttpMessageHandler(HttpGetTool.CreateHandler);

        services.AddSingleton<WorkspaceRoot>();
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

    /// <summary>Binds section <c>Tools</c> from the host's configuration when there is one (tests may configure options directly).</summary>
    private sealed class BindToolsSection(IConfiguration? configuration = null) : IConfigureOptions<ToolsOptions>
    {
        public void Configure(ToolsOptions options) => configuration?.GetSection(ToolsOptions.SectionName).Bind(options);
    }
}
