using System.Text.Json.Nodes;
using Agent.Core.Runs;

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

    public static ApprovalRequestedData RequestedData(ApprovalRecord approval) => new(
        approval.Id, approval.CallId, approval.ToolName, approval.RuleId, approval.Reason,
        approval.Input is null ? null : JsonNode.Parse(approval.Input), approval.ExpiresAt);

    public static ApprovalDecidedData DecidedData(ApprovalRecord approval) => new(
        approval.Id, approval.CallId, approval.ToolName, approval.Status, approval.DecidedBy, approval.Scope, approval.Comment);
}
