namespace Agent.Core.Auditing;

/// <summary>Row of <c>security_events</c>: a rejected call (401, 403, 404, 429, 413, 422) or a run of identical ones. Holds a key's name at most, never a key.</summary>
public sealed class SecurityEventRecord
{
    public long Id { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? ClientIp { get; set; }
    public required string Method { get; set; }
    public required string Route { get; set; }
    public int StatusCode { get; set; }
    /// <summary>One of <see cref="SecurityEventReasons"/>.</summary>
    public required string Reason { get; set; }
    public string? Principal { get; set; }
    /// <summary>Set on an aggregated row: how many identical rejections it stands for (null on a single event).</summary>
    public long? Count { get; set; }
    /// <summary>Set on an aggregated row: when the last of them was seen.</summary>
    public DateTimeOffset? WindowEnd { get; set; }

    public long Seq { get; set; }
    public string Hash { get; set; } = "";
}
