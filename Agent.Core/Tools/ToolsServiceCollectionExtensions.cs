using Agent.Core.Tools.BuiltIn;
using Agent.Core.Workspace;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Core.Tools;

public static class ToolsServiceCollectionExtensions
{
    public static IServiceCollection AddAgentTools(this IServiceCollection services)
    {
        services.AddSingleton<WorkspaceRoot>();
        services.AddSingleton<IAgentTool, HealthCheckTool>();
        services.AddSingleton<IAgentTool, ListDirTool>();
        services.AddSingleton<IAgentTool, ReadFileTool>();
        services.AddSingleton<ToolRegistry>();
        services.AddSingleton<PermissionPolicy>();
        services.AddSingleton<ToolExecutor>();
        return services;
    }
}
