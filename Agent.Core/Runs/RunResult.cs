using Agent.Core.Tools;

namespace Agent.Core.Runs;

/// <summary>The final outcome of a run, as the API returns it.</summary>
public sealed record RunResult(
    string RunId,
    string Status,
    string? Output,
    string? Error,
    IReadOnlyList<ToolExecutionResult> ToolExecutions,
    DateTimeOffset CreatedAt,
    long DurationMs);
