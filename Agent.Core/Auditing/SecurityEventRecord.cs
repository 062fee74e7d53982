namespace Agent.Core.Auditing;

/// <summary>Row of <c>security_events</c>: a rejected call (401, 429, 413, 422). Holds a key's name at most, never a key.</summary>
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

    public long Seq { get; set; }
    public string Hash { get; set; } = "";
}
