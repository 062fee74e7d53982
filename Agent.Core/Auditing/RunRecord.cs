namespace Agent.Core.Auditing;

/// <summary>Row of <c>requests</c>: one agent run from instruction to final status.</summary>
public sealed class RunRecord
{
    public required string Id { get; set; }
    public required string Input { get; set; }
    /// <summary>running, success, error or tool_error.</summary>
    public required string Status { get; set; }
    public string? Output { get; set; }
    public string? Error { get; set; }
    /// <summary>api or console.</summary>
    public required string Source { get; set; }
    /// <summary>The API key's name or the operator; never a key value.</summary>
    public string? Principal { get; set; }
    public string? ClientIp { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public long? DurationMs { get; set; }

    /// <summary>Position of the run's start entry in the audit chain; its <see cref="Hash"/> covers the immutable columns.</summary>
    public long Seq { get; set; }
    public string Hash { get; set; } = "";
    /// <summary>Position of the completion entry (status, output, error, completed_at, duration_ms); null while running.</summary>
    public long? CompletionSeq { get; set; }
    public string? CompletionHash { get; set; }

    public List<DecisionRecord> Decisions { get; set; } = [];
    public List<ToolExecutionRecord> ToolExecutions { get; set; } = [];
}
