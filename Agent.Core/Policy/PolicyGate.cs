using System.Text.Json.Nodes;
using Agent.Core.Tools;

namespace Agent.Core.Policy;

/// <summary>What the policy let through, or why not; <see cref="Policy"/> is recorded with the execution either way.</summary>
public sealed record GateOutcome(ExecutionPolicy Policy, string? Refusal)
{
    public bool Allowed => Refusal is null;
}

/// <summary>
/// The executor's policy step: evaluates the rules, and answers an <c>ask</c> with a covering grant or, failing that,
/// a person's decision through <see cref="ApprovalCoordinator"/>.
/// </summary>
public sealed class PolicyGate(EffectivePolicy policy, IApprovalStore store, ApprovalCoordinator approvals, TimeProvider clock)
{
    public EffectivePolicy Policy => policy;

    public PolicyDecision Evaluate(IAgentTool tool, JsonNode? input) => policy.Evaluate(tool, input);

    /// <summary>For a decision whose effect is <c>ask</c>: waits as long as the answer takes (or the run allows).</summary>
    public async Task<GateOutcome> AskAsync(PolicyDecision decision, IAgentTool tool, JsonNode? input, ToolCallContext? context, CancellationToken cancellationToken)
    {
        var basis = ExecutionPolicy.From(decision);
        if (context is null)
        {
            return new GateOutcome(basis, $"Blocked: rule '{decision.RuleId}' requires a person's approval, and this call is not part of a run that can wait for one.");
        }

        ApprovalRecord answered;
        if (context.ApprovalId is { } resumed && await store.FindAsync(resumed, cancellationToken) is { } existing)
        {
            answered = existing.Status == ApprovalStatus.Pending ? await approvals.WaitAsync(existing, context, cancellationToken) : existing;
        }
        else
        {
            var now = clock.GetUtcNow();
            if (await store.FindCoveringGrantAsync(tool.Name, decision.RuleId, context.RunId, context.Principal, now, cancellationToken) is { } grant)
            {
                return new GateOutcome(basis with { Grant = ExecutionGrant.From(grant) }, null);
            }
            answered = await approvals.RequestAsync(new ApprovalRecord
            {
                Id = Guid.NewGuid().ToString(),
                RequestId = context.RunId,
                DecisionId = context.DecisionId,
                CallId = context.CallId,
                ToolName = tool.Name,
                Input = input?.ToJsonString(JsonDefaults.Compact),
                RuleId = decision.RuleId,
                PolicyVersion = decision.Version,
                Reason = decision.Reason,
                Principal = context.Principal,
                Status = ApprovalStatus.Pending,
                CreatedAt = now,
                ExpiresAt = now + approvals.Timeout,
            }, context, cancellationToken);
        }

        var outcome = basis with { Approval = ExecutionApproval.From(answered) };
        return answered.Status == ApprovalStatus.Approved ? new GateOutcome(outcome, null) : new GateOutcome(outcome, Refusal(answered));
    }

    /// <summary>The blocked reason for a call a rule denies.</summary>
    public static string Refusal(PolicyDecision decision) =>
        $"Blocked by policy rule '{decision.RuleId}'" + (decision.Reason is { } why ? $": {why}" : ".");

    private static string Refusal(ApprovalRecord answered) => answered.Status switch
    {
        ApprovalStatus.Expired => $"Blocked: the call needed approval (rule '{answered.RuleId}') and was not approved in time: {answered.Comment}",
        _ => $"Blocked: {answered.DecidedBy} denied the call (rule '{answered.RuleId}')" + (string.IsNullOrWhiteSpace(answered.Comment) ? "." : $": {answered.Comment}"),
    };
}
