using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agent.Core.Configuration;
using Agent.Core.Policy;
using Agent.Core.Workspace;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agent.Core.Tools;

/// <summary>
/// The only way a tool runs: allowlist, then permission policy, then argument size, then JSON Schema (once), then the
/// arguments read into the tool's input record (once), then a hard timeout and an output cap. Every outcome, refusals
/// included, comes back as a <see cref="ToolExecutionResult"/>.
/// </summary>
public sealed partial class ToolExecutor(
    ToolRegistry registry,
    PermissionPolicy policy,
    IOptions<AgentOptions> options,
    IOptions<RunLimitsOptions> runLimits,
    ILogger<ToolExecutor> logger,
    TimeProvider clock,
    PolicyGate? gate = null)
{
    /// <summary>Bytes of an oversized input kept, as a preview, in the result, the events and the audit.</summary>
    public const int InputPreviewBytes = 2048;

    // Without the policy services (a bare tool set), only the permission fence decides, and nothing is asked.
    private readonly EffectivePolicy _rules = gate?.Policy ?? EffectivePolicy.Create([], policy.Blocked);

    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(options.Value.MaxToolTimeout);
    private readonly int _maxOutput = options.Value.MaxOutputSize;
    private readonly int _maxArgumentBytes = runLimits.Value.MaxToolArgumentBytes;

    public async Task<ToolExecutionResult> ExecuteAsync(string toolName, JsonNode? input, CancellationToken cancellationToken) =>
        await ExecuteAsync(toolName, input, null, cancellationToken);

    /// <summary>With <paramref name="context"/>, a call the policy asks about can wait for a person; without, it is refused.</summary>
    public async Task<ToolExecutionResult> ExecuteAsync(string toolName, JsonNode? input, ToolCallContext? context, CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.StartNew();
        ExecutionPolicy? decided = null;
        JsonNode? recordedInput = null;
        ToolExecutionResult Finish(ToolExecutionStatus status, JsonNode? output = null, string? error = null, bool truncated = false, string? outputJson = null)
        {
            LogExecuted(logger, toolName, status.ToWire(), elapsed.ElapsedMilliseconds);
            return new(toolName, status, recordedInput ?? input?.DeepClone(), output, error, elapsed.ElapsedMilliseconds, truncated)
            {
                Policy = decided,
                OutputJson = outputJson,
            };
        }

        if (!registry.TryGet(toolName, out var tool))
        {
            return Finish(ToolExecutionStatus.UnknownTool, error: $"Tool '{toolName}' is not in the allowlist.");
        }
        // The permission fence first, then the rules (first match); both are recorded with the execution.
        var decision = _rules.Evaluate(tool, input);
        decided = ExecutionPolicy.From(decision);
        if (policy.Deny(tool) is { } reason)
        {
            return Finish(ToolExecutionStatus.Blocked, error: reason);
        }
        // Measured by counting, before the schema validator (or anything else) parses the arguments again.
        var size = JsonMeasure.Of(input, InputPreviewBytes);
        if (size.Bytes > _maxArgumentBytes)
        {
            var refusal = ArgumentsTooLarge(size.Bytes, _maxArgumentBytes);
            LogArgumentsRefused(logger, toolName, size.Bytes, _maxArgumentBytes);
            recordedInput = size.ToTruncated(refusal);
            return Finish(ToolExecutionStatus.Blocked, error: refusal);
        }
        if (decision.Effect == PolicyEffect.Deny)
        {
            return Finish(ToolExecutionStatus.Blocked, error: PolicyGate.Refusal(decision));
        }

        var arguments = input ?? new JsonObject();
        if (arguments is not JsonObject argumentObject)
        {
            return Finish(ToolExecutionStatus.InvalidInput, error: "Invalid input: input must be a JSON object.");
        }
        var violations = tool.InputSchema.Validate(arguments.ToJsonString());
        if (violations.Count > 0)
        {
            return Finish(ToolExecutionStatus.InvalidInput, error: "Invalid input: " + string.Join("; ", ToolInputErrors.Describe(violations)));
        }
        // Read once into the tool's record; the schema came from the record, so only a value C# cannot hold fails here.
        object typedInput;
        try
        {
            typedInput = ToolInputSchema.Read(argumentObject, tool.InputType);
        }
        catch (JsonException ex)
        {
            return Finish(ToolExecutionStatus.InvalidInput, error: "Invalid input: " + ToolInputErrors.Describe(ex));
        }
        // Asked only once the call is known to be valid: nobody is asked about a call that could not run.
        if (decision.Effect == PolicyEffect.Ask && gate is not null)
        {
            var answer = await gate.AskAsync(decision, tool, argumentObject, context, cancellationToken);
            decided = answer.Policy;
            if (!answer.Allowed)
            {
                return Finish(ToolExecutionStatus.Blocked, error: answer.Refusal);
            }
            // The tool's duration and timeout start when it runs, not when the person was asked.
            elapsed.Restart();
        }

        // Both deadlines run on the injected clock, so a test advances time instead of waiting for it.
        using var timer = new CancellationTokenSource(_timeout, clock);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            // Task.Run + WaitAsync: a tool that ignores its token is abandoned at the deadline instead of holding the run.
            var output = await Task.Run(() => tool.ExecuteAsync(typedInput, deadline.Token), deadline.Token)
                .WaitAsync(_timeout, clock, cancellationToken);
            var (capped, text) = Cap(output);
            return capped is not null
                ? Finish(ToolExecutionStatus.Success, capped, truncated: true)
                : Finish(ToolExecutionStatus.Success, Compact(output, text), outputJson: text);
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
        catch (WorkspaceAccessException ex)
        {
            // Leaving the workspace is a policy refusal, like a blocked permission, not a tool failure.
            LogPathRefused(logger, toolName, ex.Message);
            return Finish(ToolExecutionStatus.Blocked, error: ex.Message);
        }
        catch (ToolBlockedException ex)
        {
            return Finish(ToolExecutionStatus.Blocked, error: ex.Message);
        }
        catch (ToolTimeoutException ex)
        {
            return Finish(ToolExecutionStatus.Timeout, error: ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogToolFailed(logger, ex, toolName);
            return Finish(ToolExecutionStatus.Error, error: $"Tool '{toolName}' failed: {ex.Message}");
        }
    }

    /// <summary>
    /// An object or array output is kept as its parsed text, which a node reads lazily (a few arrays), instead of the tree
    /// the tool built (a 100-entry listing is about 1,500 small objects, 43 KB): the output lives as long as its run and
    /// the run's result after it, so with many runs waiting on a model the collector copied every tree from generation
    /// to generation.
    /// </summary>
    private static JsonNode? Compact(JsonNode? output, string text) => output is JsonObject or JsonArray ? JsonNode.Parse(text) : output;

    /// <summary>The refusal for arguments over MAX_TOOL_ARGUMENT_SIZE, worded the same wherever it is checked.</summary>
    public static string ArgumentsTooLarge(long bytes, int limit) =>
        $"Blocked: the arguments are {bytes} bytes, over the {limit}-byte limit per tool call (MAX_TOOL_ARGUMENT_SIZE); send less per call.";

    /// <summary>
    /// Keeps serialized output within MAX_OUTPUT_SIZE characters, saying so explicitly when it was cut: the
    /// replacement (flag, original length and a preview) itself fits the limit. Returns the replacement (null when the
    /// output fits) and the output's text, which the result keeps so that nothing writes it again.
    /// </summary>
    private (JsonObject? Capped, string Text) Cap(JsonNode? output)
    {
        var text = output?.ToJsonString(JsonDefaults.Compact) ?? "null";
        if (text.Length <= _maxOutput)
        {
            return (null, text);
        }

        var keep = _maxOutput;
        while (true)
        {
            // Never split a surrogate pair: half a character is not valid JSON text.
            var cut = keep > 0 && char.IsHighSurrogate(text[keep - 1]) ? keep - 1 : keep;
            var capped = new JsonObject { ["truncated"] = true, ["original_length"] = text.Length, ["preview"] = text[..cut] };
            var excess = capped.ToJsonString(JsonDefaults.Compact).Length - _maxOutput;
            if (excess <= 0 || cut == 0)
            {
                return (capped, text);
            }
            keep = Math.Max(0, cut - excess);
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Tool {ToolName} finished {Status} in {DurationMs} ms")]
    private static partial void LogExecuted(ILogger logger, string toolName, string status, long durationMs);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Tool {ToolName} refused a path: {Reason}")]
    private static partial void LogPathRefused(ILogger logger, string toolName, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Tool {ToolName} refused {Bytes} bytes of arguments (limit {Limit}, MAX_TOOL_ARGUMENT_SIZE)")]
    private static partial void LogArgumentsRefused(ILogger logger, string toolName, long bytes, int limit);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Tool {ToolName} threw")]
    private static partial void LogToolFailed(ILogger logger, Exception exception, string toolName);
}
