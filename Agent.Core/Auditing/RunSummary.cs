namespace Agent.Core.Auditing;

/// <summary>One row of a run list: what the console's grids and the audit API show.</summary>
public sealed record RunSummary(
    string Id,
    string Input,
    string Status,
    string Source,
    string? Principal,
    DateTimeOffset CreatedAt,
    long? DurationMs,
    int ToolExecutionCount);
