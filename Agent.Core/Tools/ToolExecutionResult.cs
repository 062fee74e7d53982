using System.Text.Json.Nodes;
using Agent.Core.Policy;

namespace Agent.Core.Tools;

/// <summary>The outcome of one call through <see cref="ToolExecutor"/>, whatever happened.</summary>
public sealed record ToolExecutionResult(
    string ToolName,
    ToolExecutionStatus Status,
    JsonNode? Input,
    JsonNode? Output,
    string? Error,
    long DurationMs,
    bool Truncated = false)
{
    public bool Succeeded => Status == ToolExecutionStatus.Success;

    /// <summary>Why the policy let the call through or not; null when it never reached the policy (unknown tool).</summary>
    public ExecutionPolicy? Policy { get; init; }
}
