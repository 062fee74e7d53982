using System.Diagnostics;
using System.Text.Json.Nodes;
using Agent.Core.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agent.Core.Tools;

/// <summary>
/// The only way a tool runs: allowlist, then permission policy, then JSON Schema, then a hard timeout
/// and an output cap. Every outcome, refusals included, comes back as a <see cref="ToolExecutionResult"/>.
/// </summary>
public sealed partial class ToolExecutor(
    ToolRegistry registry,
    PermissionPolicy policy,
    IOptions<AgentOptions> options,
    ILogger<ToolExecutor> logger)
{
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(options.Value.MaxToolTimeout);
    private readonly int _maxOutput = options.Value.MaxOutputSize;

    public async Task<ToolExecutionResult> ExecuteAsync(string toolName, JsonNode? input, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        ToolExecutionResult Finish(ToolExecutionStatus status, JsonNode? output = null, string? error = null, bool truncated = false)
        {
            LogExecuted(logger, toolName, status.ToWire(), clock.ElapsedMilliseconds);
            return new(toolName, status, input?.DeepClone(), output, error, clock.ElapsedMilliseconds, truncated);
        }

        if (!registry.TryGet(toolName, out var tool))
        {
            return Finish(ToolExecutionStatus.UnknownTool, error: $"Tool '{toolName}' is not in the allowlist.");
        }
        if (policy.Deny(tool) is { } reason)
        {
            return Finish(ToolExecutionStatus.Blocked, error: reason);
        }

        var arguments = input ?? new JsonObject();
        var violations = tool.InputSchema.Validate(arguments.ToJsonString());
        if (arguments is not JsonObject argumentObject || violations.Count > 0)
        {
            var messages = arguments is JsonObject
                ? violations.Select(v => $"{(string.IsNullOrEmpty(v.Path) ? "#" : v.Path)}: {v.Kind}" + (v.Property is null ? "" : $" ({v.Property})"))
                : ["#: input must be a JSON object"];
            return Finish(ToolExecutionStatus.InvalidInput, error: "Invalid input: " + string.Join("; ", messages));
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            // Task.Run + WaitAsync: a tool that ignores its token is abandoned at the deadline instead of holding the run.
            var output = await Task.Run(() => tool.ExecuteAsync(argumentObject, deadline.Token), deadline.Token)
                .WaitAsync(_timeout, cancellationToken);
            return Cap(output, out var truncated) is var capped && truncated
                ? Finish(ToolExecutionStatus.Success, capped, truncated: true)
                : Finish(ToolExecutionStatus.Success, output);
        }
        catch (TimeoutException)
        {
            return Finish(ToolExecutionStatus.Timeout, error: $"Tool '{toolName}' exceeded the {_timeout.TotalSeconds:0} s timeout (MAX_TOOL_TIMEOUT).");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Finish(ToolExecutionStatus.Timeout, error: $"Tool '{toolName}' exceeded the {_timeout.TotalSeconds:0} s timeout (MAX_TOOL_TIMEOUT).");
        }
        catch (ToolException ex)
        {
            return Finish(ToolExecutionStatus.Error, error: ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogToolFailed(logger, ex, toolName);
            return Finish(ToolExecutionStatus.Error, error: $"Tool '{toolName}' failed: {ex.Message}");
        }
    }

    /// <summary>Keeps serialized output within MAX_OUTPUT_SIZE characters, saying so explicitly when it was cut.</summary>
    private JsonNode? Cap(JsonNode? output, out bool truncated)
    {
        var text = output?.ToJsonString(JsonDefaults.Compact) ?? "null";
        truncated = text.Length > _maxOutput;
        return truncated
            ? new JsonObject { ["truncated"] = true, ["original_length"] = text.Length, ["preview"] = text[.._maxOutput] }
            : output;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Tool {ToolName} finished {Status} in {DurationMs} ms")]
    private static partial void LogExecuted(ILogger logger, string toolName, string status, long durationMs);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Tool {ToolName} threw")]
    private static partial void LogToolFailed(ILogger logger, Exception exception, string toolName);
}
