using Agent.Core.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Agent.Core.Policy;

public static class PolicyServiceCollectionExtensions
{
    /// <summary>Section <c>Policy</c> (bound and validated at start-up), the effective policy, the approval store and the dry-run.</summary>
    public static IServiceCollection AddAgentPolicy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PolicyOptions>().Bind(configuration.GetSection(PolicyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<PolicyOptionsValidator>();
        services.AddSingleton<IValidateOptions<PolicyOptions>>(sp => sp.GetRequiredService<PolicyOptionsValidator>());
        services.AddSingleton(sp => EffectivePolicy.Create(
            sp.GetRequiredService<IOptions<PolicyOptions>>().Value.Rules,
            sp.GetRequiredService<PermissionPolicy>().Blocked));
        services.AddSingleton<IApprovalStore, EfApprovalStore>();
        services.AddSingleton<ApprovalCoordinator>();
        services.AddSingleton<PolicyGate>();
        services.AddSingleton<PolicyDryRun>();
        services.AddSingleton<PastExecutions>();
        services.AddHostedService<ApprovalRecovery>();
        return services;
    }
}
