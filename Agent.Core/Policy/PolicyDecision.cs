namespace Agent.Core.Policy;

/// <summary>
/// Why a call may or may not run: the deciding rule id (or <c>default</c>, or <c>permission:&lt;name&gt;</c> for the
/// <c>BLOCKED_PERMISSIONS</c> fence), its effect, the policy version that decided, and the rule's reason.
/// </summary>
public sealed record PolicyDecision(string RuleId, PolicyEffect Effect, string Version, string? Reason)
{
    public const string DefaultRuleId = "default";
    public const string PermissionRulePrefix = "permission:";

    public bool IsFence => RuleId.StartsWith(PermissionRulePrefix, StringComparison.Ordinal);
}
