using Agent.Web.Security;

namespace Agent.Web.Approvals;

public static class ApprovalsServiceCollectionExtensions
{
    /// <summary>The approvers' authorization policy (admin and operator API keys) and the decision service the API and console share.</summary>
    public static IServiceCollection AddAgentApprovals(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder().AddPolicy(ApprovalEndpoints.ApproversPolicy, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireRole(KeyRoleNames.Admin, KeyRoleNames.Operator));
        services.AddSingleton<ApprovalDecisions>();
        return services;
    }
}
