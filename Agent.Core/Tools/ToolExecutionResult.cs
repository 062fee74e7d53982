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
    private readonly JsonNode? _output = Output;
    private string? _outputJson;

    public bool Succeeded => Status == ToolExecutionStatus.Success;

    /// <summary>Why the policy let the call through or not; null when it never reached the policy (unknown tool).</summary>
    public ExecutionPolicy? Policy { get; init; }

    /// <summary>What the tool returned, or what the output caps kept of it. Never changed once set: it is shared, not copied.</summary>
    public JsonNode? Output
    {
        get => _output;
        init
        {
            _output = value;
            // A result copied with another output must not carry the old one's text.
            _outputJson = null;
        }
    }

    /// <summary>
    /// <see cref="Output"/> as compact JSON text (null when there is none), written once and shared by the run's output
    /// budget, the audit row and the model's tool result, which each wrote the tree again before.
    /// </summary>
    public string? OutputJson
    {
        get => _output is null ? null : _outputJson ??= _output.ToJsonString(JsonDefaults.Compact);
        init => _outputJson = value;
    }

    /// <summary>
    /// This result without its cached text, for a run's kept results: they outlive the turn that used the text, and
    /// <see cref="Output"/> already holds the same JSON.
    /// </summary>
    public ToolExecutionResult WithoutCachedText() => _outputJson is null ? this : this with { OutputJson = null };
}
