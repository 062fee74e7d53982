namespace Agent.Core.Auditing;

/// <summary>
/// Writes each audit row in its own short transaction, appended to the <see cref="AuditChain"/>, so that what was
/// acknowledged survives a crash. Writes ignore the run's cancellation: a cancelled run must still be recorded.
/// </summary>
public sealed class EfAuditWriter(AuditChain chain) : IAuditWriter
{
    public Task StartRunAsync(RequestRecord request) =>
        chain.AppendAsync(async append =>
        {
            await append.AddRequestAsync(request);
            return true;
        });

    public Task<long> RecordDecisionAsync(DecisionRecord decision) =>
        chain.AppendAsync(async append =>
        {
            await append.AddDecisionAsync(decision);
            return decision.Id;
        });

    public Task<long> RecordExecutionAsync(ToolExecutionRecord execution) =>
        chain.AppendAsync(async append =>
        {
            await append.AddToolExecutionAsync(execution);
            return execution.Id;
        });

    public Task CompleteRunAsync(string requestId, string status, string? output, string? error, DateTimeOffset completedAt, long durationMs) =>
        chain.AppendAsync(append => append.CompleteRequestAsync(requestId, status, output, error, completedAt, durationMs));
}
