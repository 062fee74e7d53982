namespace Agent.Core.Auditing;

/// <summary>Commits audit rows as a run happens; each call returns only after the row is durable.</summary>
public interface IAuditWriter
{
    Task StartRunAsync(RunRecord request);

    Task<long> RecordDecisionAsync(DecisionRecord decision);

    Task<long> RecordExecutionAsync(ToolExecutionRecord execution);

    Task CompleteRunAsync(string runId, string status, string? output, string? error, DateTimeOffset completedAt, long durationMs);
}
