namespace Agent.Core.Auditing;

/// <summary>The single row of <c>audit_chain_head</c>: the last appended entry, so removing the newest rows is detected too.</summary>
public sealed class ChainHeadRecord
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;
    public long Seq { get; set; }
    public required string Hash { get; set; }
}
