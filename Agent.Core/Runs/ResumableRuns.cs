using System.Collections.Concurrent;
using Agent.Core.Policy;

namespace Agent.Core.Runs;

/// <summary>A run a stop left paused on <paramref name="ApprovalId"/>, to be resumed rather than closed as interrupted.</summary>
public sealed record ResumeTicket(string RunId, string ApprovalId);

/// <summary>
/// Decides, once at start-up and in one place, which runs left <c>running</c> are resumed: those waiting on a pending
/// approval. The audit's interrupted sweep closes every other one and skips exactly these, and the orphan-approval
/// sweep leaves their approvals pending, so no run is both resumed and closed.
/// </summary>
public sealed class ResumableRuns(IApprovalStore store)
{
    private readonly ConcurrentDictionary<string, ResumeTicket> _claimed = new(StringComparer.Ordinal);

    /// <summary>The runs claimed for resumption, oldest request first.</summary>
    public IReadOnlyList<ResumeTicket> Claimed => [.. _claimed.Values.OrderBy(t => t.RunId, StringComparer.Ordinal)];

    public bool IsClaimed(string runId) => _claimed.ContainsKey(runId);

    /// <summary>Claims, among <paramref name="running"/>, the runs with a pending approval; returns their ids.</summary>
    public async Task<IReadOnlySet<string>> ClaimAsync(IReadOnlyCollection<string> running, CancellationToken cancellationToken)
    {
        if (running.Count == 0)
        {
            return new HashSet<string>();
        }
        var open = running.ToHashSet(StringComparer.Ordinal);
        var pending = await store.ListAsync(ApprovalStatus.Pending, int.MaxValue, cancellationToken);
        // Newest first: a run has one pending request at a time, and if it somehow had more, the latest is its last step.
        foreach (var approval in pending.Where(a => open.Contains(a.RequestId)))
        {
            _claimed.TryAdd(approval.RequestId, new ResumeTicket(approval.RequestId, approval.Id));
        }
        return _claimed.Keys.ToHashSet(StringComparer.Ordinal);
    }
}
