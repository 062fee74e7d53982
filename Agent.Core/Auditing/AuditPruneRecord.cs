namespace Agent.Core.Auditing;

/// <summary>
/// Row of <c>audit_prunes</c>: a chained marker written when retention deleted the chain's oldest entries. It records
/// where the remaining chain starts and the hash that preceded it, so verification can begin there.
/// </summary>
public sealed class AuditPruneRecord
{
    public long Id { get; set; }
    public DateTimeOffset PrunedAt { get; set; }
    public DateTimeOffset Cutoff { get; set; }
    public long FirstKeptSeq { get; set; }
    public required string FirstKeptPrevHash { get; set; }
    public long DeletedEntries { get; set; }

    public long Seq { get; set; }
    public string Hash { get; set; } = "";
}
