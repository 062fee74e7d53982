using System.Text.Json.Nodes;
using Agent.Core.Runs;
using Agent.Core.Tools;

namespace Agent.Web.Api;

/// <summary>Body of <c>POST /agent/run</c>.</summary>
public sealed record AgentRunRequest(string? Input)
{
    public const int MaxInputLength = 10_000;

    /// <summary>Every problem with the body, empty when it is valid.</summary>
    public IReadOnlyList<string> Validate() =>
        Input switch
        {
            null => ["input: field required"],
            { Length: 0 } => ["input: must be at least 1 character"],
            { Length: > MaxInputLength } => [$"input: must be at most {MaxInputLength} characters"],
            _ when string.IsNullOrWhiteSpace(Input) => ["input: must not be blank"],
            _ => [],
        };
}

/// <summary>The seed's response shape, serialised snake_case.</summary>
public sealed record AgentRunResponse(
    string RequestId,
    string Status,
    string? Output,
    string? Error,
    IReadOnlyList<ToolExecutionResponse> ToolExecutions,
    DateTimeOffset CreatedAt,
    long DurationMs)
{
    public static AgentRunResponse From(RunResult result) => new(
        result.RequestId, result.Status, result.Output, result.Error,
        result.ToolExecutions.Select(ToolExecutionResponse.From).ToArray(),
        result.CreatedAt, result.DurationMs);
}

public sealed record ToolExecutionResponse(
    string ToolName,
    string Status,
    long DurationMs,
    JsonNode? Output,
    JsonNode? Input,
    string? Error,
    bool Truncated,
    Agent.Core.Policy.ExecutionPolicy? Policy = null)
{
    public static ToolExecutionResponse From(ToolExecutionResult e) =>
        new(e.ToolName, e.Status.ToWire(), e.DurationMs, e.Output, e.Input, e.Error, e.Truncated, e.Policy);
}
