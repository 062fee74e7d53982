using Agent.Core.Runs;

namespace Agent.Core.Policy;

/// <summary>
/// The run a tool call belongs to, for the parts of the policy that need it: whose key asked, which grant applies, and
/// where an approval request publishes its events. <see cref="ApprovalId"/> is set when a resumed run replays a
/// call whose approval was requested before a restart, so the same request is answered instead of a new one.
/// </summary>
public sealed record ToolCallContext(string RunId, string? Principal, long? DecisionId, string? CallId)
{
    public string? ApprovalId { get; init; }

    /// <summary>Publishes a run event in the run's own sequence (<c>approval_requested</c>, <c>approval_decided</c>).</summary>
    public Action<RunEventData>? Publish { get; init; }
}
