using System.Text.Json.Nodes;

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
}
