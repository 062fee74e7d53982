using System.Text.Json;

namespace Agent.Core.Auditing;

/// <summary>Everything recorded about one run: the request, then its decisions and tool executions in the order they happened.</summary>
public sealed record RunDetail(
    string Id,
    string Input,
    string Status,
    string? Output,
    string? Error,
    string Source,
    string? Principal,
    string? ClientIp,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    long? DurationMs,
    IReadOnlyList<DecisionDetail> Decisions,
    IReadOnlyList<ToolExecutionDetail> ToolExecutions);

/// <summary>One LLM turn; <see cref="SelectedTools"/> is the stored JSON array of <c>{"id","name","arguments"}</c>.</summary>
public sealed record DecisionDetail(
    long Id,
    int Step,
    string? Reasoning,
    JsonElement? SelectedTools,
    string? Model,
    int? InputTokens,
    int? OutputTokens,
    long LatencyMs,
    DateTimeOffset CreatedAt);

/// <summary>One tool call; input and output are the stored JSON documents.</summary>
public sealed record ToolExecutionDetail(
    long Id,
    long? DecisionId,
    string ToolName,
    JsonElement? Input,
    JsonElement? Output,
    string Status,
    string? Error,
    long DurationMs,
    DateTimeOffset CreatedAt,
    JsonElement? Policy = null);
