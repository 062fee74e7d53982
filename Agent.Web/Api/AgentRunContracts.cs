using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using Agent.Core.Runs;
using Agent.Core.Tools;

namespace Agent.Web.Api;

/// <summary>Body of <c>POST /agent/run</c>.</summary>
public sealed record AgentRunRequest(
    [property: Required(AllowEmptyStrings = true, ErrorMessage = "field required")]
    [property: MinLength(1, ErrorMessage = "must be at least {1} character")]
    [property: MaxLength(AgentRunRequest.MaxInputLength, ErrorMessage = "must be at most {1} characters")]
    [property: NotBlank]
    string? Input)
{
    public const int MaxInputLength = 10_000;
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
        result.RunId, result.Status, result.Output, result.Error,
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
