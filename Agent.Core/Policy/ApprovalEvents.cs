using System.Text.Json.Nodes;

namespace Agent.Core.Policy;

/// <summary>
/// Run events about approvals, published in the run's own sequence next to its tool events. Each carries the run's
/// status after it (<c>run_status</c>), so SSE and SignalR readers follow <c>awaiting_approval</c> without polling.
/// </summary>
public static class ApprovalEvents
{
    public const string Requested = "approval_requested";
    public const string Decided = "approval_decided";

    /// <summary>The live status of a run paused until a person answers.</summary>
    public const string AwaitingApproval = "awaiting_approval";

    public static JsonObject RequestedData(ApprovalRecord approval) => new()
    {
        ["approval_id"] = approval.Id,
        ["call_id"] = approval.CallId,
        ["tool_name"] = approval.ToolName,
        ["rule_id"] = approval.RuleId,
        ["reason"] = approval.Reason,
        ["input"] = approval.Input is null ? null : JsonNode.Parse(approval.Input),
        ["expires_at"] = approval.ExpiresAt.ToString("O"),
        ["run_status"] = AwaitingApproval,
    };

    public static JsonObject DecidedData(ApprovalRecord approval) => new()
    {
        ["approval_id"] = approval.Id,
        ["call_id"] = approval.CallId,
        ["tool_name"] = approval.ToolName,
        ["status"] = approval.Status,
        ["decided_by"] = approval.DecidedBy,
        ["scope"] = approval.Scope,
        ["comment"] = approval.Comment,
        ["run_status"] = "running",
    };
}
