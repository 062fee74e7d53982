using Agent.Core.Auditing;
using Agent.Core.Policy;

namespace Agent.Core.Runs;

/// <summary>
/// What the audit holds of a run paused on <see cref="Approval"/> when the server stopped: the request (as a
/// <see cref="RunRequest"/> with its original id), every decision and every execution in chain order.
/// </summary>
public sealed record ResumedRun(
    RunRequest Request,
    DateTimeOffset CreatedAt,
    ApprovalRecord Approval,
    IReadOnlyList<DecisionRecord> Decisions,
    IReadOnlyList<ToolExecutionRecord> Executions);
