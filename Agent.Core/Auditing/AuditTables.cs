namespace Agent.Core.Auditing;

/// <summary>
/// The registry of hash-chained audit tables: the one place that says which entries exist, which columns each writes and
/// hashes, and how retention treats each table. The writer builds its prepared statements and canonical bytes from it,
/// the verifier its queries, retention its deletes.
/// <para>
/// Adding a nullable column to a chained table is one line here (<c>.HashedWhenSet("name", r => r.Name)</c>) plus the
/// entity property and its migration; <c>HashedWhenSet</c> leaves a null out of the canonical form, so rows written
/// before the column existed keep verifying. Never change an existing line: that changes the hash of every stored row
/// (the known-answer test in <c>AuditChainFormatTests</c> fails when it does).
/// </para>
/// </summary>
internal static class AuditTables
{
    public static readonly ChainSource<RunRecord> Request = new ChainSource<RunRecord>("request", "requests", "id")
        .Hashed("id", r => r.Id)
        .Hashed("input", r => r.Input)
        .Stored("status", r => r.Status)
        .Hashed("source", r => r.Source)
        .Hashed("principal", r => r.Principal)
        .Hashed("client_ip", r => r.ClientIp)
        .Hashed("created_at", r => Time(r.CreatedAt));

    public static readonly ChainSource<RunCompletion> RequestCompletion = new ChainSource<RunCompletion>(
        "request_completion", "requests", "id", "completion_seq", "completion_hash", ChainWrite.Seal)
    {
        UnsealedWhen = "status <> 'running' OR output IS NOT NULL OR error IS NOT NULL OR completed_at IS NOT NULL " +
            "OR duration_ms IS NOT NULL OR completion_hash IS NOT NULL",
    }
        .Hashed("id", c => c.RunId)
        .Hashed("status", c => c.Status)
        .Hashed("output", c => c.Output)
        .Hashed("error", c => c.Error)
        .Hashed("completed_at", c => Time(c.CompletedAt))
        .Hashed("duration_ms", c => c.DurationMs);

    public static readonly ChainSource<DecisionRecord> Decision = new ChainSource<DecisionRecord>("decision", "decisions", "id")
    {
        AssignId = (d, id) => d.Id = id,
    }
        .Hashed("id", d => d.Id)
        .Hashed("request_id", d => d.RequestId)
        .Hashed("step", d => d.Step)
        .Hashed("reasoning", d => d.Reasoning)
        .Hashed("selected_tools", d => d.SelectedTools)
        .Hashed("model", d => d.Model)
        .Hashed("input_tokens", d => d.InputTokens)
        .Hashed("output_tokens", d => d.OutputTokens)
        .Hashed("latency_ms", d => d.LatencyMs)
        .Hashed("created_at", d => Time(d.CreatedAt))
        .HashedWhenSet("finish_reason", d => d.FinishReason);

    public static readonly ChainSource<ToolExecutionRecord> ToolExecution = new ChainSource<ToolExecutionRecord>("tool_execution", "tool_executions", "id")
    {
        AssignId = (e, id) => e.Id = id,
    }
        .Hashed("id", e => e.Id)
        .Hashed("request_id", e => e.RequestId)
        .Hashed("decision_id", e => e.DecisionId)
        .Hashed("tool_name", e => e.ToolName)
        .Hashed("input", e => e.Input)
        .Hashed("output", e => e.Output)
        .Hashed("status", e => e.Status)
        .Hashed("error", e => e.Error)
        .Hashed("duration_ms", e => e.DurationMs)
        .Hashed("created_at", e => Time(e.CreatedAt))
        .HashedWhenSet("policy", e => e.Policy);

    public static readonly ChainSource<SecurityEventRecord> SecurityEvent = new ChainSource<SecurityEventRecord>("security_event", "security_events", "id")
    {
        AssignId = (e, id) => e.Id = id,
    }
        .Hashed("id", e => e.Id)
        .Hashed("created_at", e => Time(e.CreatedAt))
        .Hashed("client_ip", e => e.ClientIp)
        .Hashed("method", e => e.Method)
        .Hashed("route", e => e.Route)
        .Hashed("status_code", e => e.StatusCode)
        .Hashed("reason", e => e.Reason)
        .Hashed("principal", e => e.Principal)
        .HashedWhenSet("count", e => e.Count)
        .HashedWhenSet("window_end", e => Time(e.WindowEnd));

    public static readonly ChainSource<AuditPruneRecord> Prune = new ChainSource<AuditPruneRecord>("prune", "audit_prunes", "id")
    {
        AssignId = (p, id) => p.Id = id,
    }
        .Hashed("id", p => p.Id)
        .Hashed("pruned_at", p => Time(p.PrunedAt))
        .Hashed("cutoff", p => Time(p.Cutoff))
        .Hashed("first_kept_seq", p => p.FirstKeptSeq)
        .Hashed("first_kept_prev_hash", p => p.FirstKeptPrevHash)
        .Hashed("deleted_entries", p => p.DeletedEntries);

    /// <summary>Every entry kind; the verifier merges them in seq order.</summary>
    public static readonly IReadOnlyList<ChainSource> Sources = [Request, RequestCompletion, Decision, ToolExecution, SecurityEvent, Prune];

    /// <summary>
    /// Every chained table, parents before children (retention deletes in reverse). <c>KeepWhen</c> is the SQL condition
    /// (with <c>$c</c> = the cutoff) under which a row must survive retention; tables without one go with their run.
    /// </summary>
    public static readonly IReadOnlyList<ChainedTable> Tables =
    [
        new("requests", "seq", "completion_seq IS NULL OR created_at >= $c OR completed_at >= $c"),
        new("decisions", "seq", null),
        new("tool_executions", "seq", null),
        new("security_events", "seq", "created_at >= $c"),
        // The latest prune marker is the anchor verification starts from, so it is always kept.
        new("audit_prunes", "seq", "seq = (SELECT MAX(seq) FROM audit_prunes)"),
    ];

    /// <summary>The entry kinds stored in <paramref name="table"/>.</summary>
    public static IEnumerable<ChainSource> SourcesOf(string table) => Sources.Where(s => s.Table == table);

    private static string Time(DateTimeOffset value) => AuditTimestamp.ToText(value);

    private static string? Time(DateTimeOffset? value) => value is { } v ? AuditTimestamp.ToText(v) : null;
}

/// <summary>A chained table as retention sees it: its first entry's seq column, and when a row must be kept.</summary>
internal sealed record ChainedTable(string Name, string SeqColumn, string? KeepWhen);

/// <summary>The final columns of a run, sealed as its completion entry.</summary>
public sealed record RunCompletion(string RunId, string Status, string? Output, string? Error, DateTimeOffset CompletedAt, long? DurationMs);
