using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agent.Core.Configuration;
using Agent.Core.Tools;
using Microsoft.SemanticKernel;

namespace Agent.Core.Runs;

/// <summary>
/// One run's share of <see cref="RunLimitsOptions"/>: which calls of a turn may run, how many calls the run has left,
/// and how much tool output it may still keep in full. Refusals name the setting that made them.
/// </summary>
internal sealed class RunBudget(RunLimitsOptions limits)
{
    private int _calls;
    private long _outputBytes;

    /// <summary>The model has been told that the run's calls are used up; asking for more ends the run.</summary>
    public bool CallsExhaustedReported { get; private set; }

    public string CallsExhausted =>
        $"Blocked: this run has used all {limits.MaxToolCallsPerRun} of its tool calls (MAX_TOOL_CALLS_PER_RUN); no more tools will run. Answer with what you have.";

    public string RunEnded =>
        $"Tool-call limit reached: the model kept calling tools after the run's {limits.MaxToolCallsPerRun} tool calls were used (MAX_TOOL_CALLS_PER_RUN).";

    /// <summary>How many of a turn's calls, from the first, may run; they are counted against the run.</summary>
    public int Admit(int callsInTurn)
    {
        var turnAllows = Math.Min(callsInTurn, limits.MaxToolCallsPerTurn);
        var admitted = Math.Max(0, Math.Min(turnAllows, limits.MaxToolCallsPerRun - _calls));
        _calls += admitted;
        // Some of this turn's calls are refused for the run's total, and the model is about to be told so.
        CallsExhaustedReported |= admitted < turnAllows;
        return admitted;
    }

    /// <summary>Why call <paramref name="indexInTurn"/>, past those admitted, is blocked.</summary>
    public string RefusalFor(int indexInTurn, int callsInTurn) =>
        indexInTurn >= limits.MaxToolCallsPerTurn
            ? $"Blocked: the model asked for {callsInTurn} tool calls in one turn; at most {limits.MaxToolCallsPerTurn} run per turn " +
                "(MAX_TOOL_CALLS_PER_TURN). Ask for the rest in a later turn if they are still needed."
            : CallsExhausted;

    /// <summary>The size of a call's arguments as the model sent them, measured without parsing them any further.</summary>
    public static JsonExtent Measure(FunctionCallContent call) =>
        JsonMeasure.Of(writer =>
        {
            writer.WriteStartObject();
            foreach (var (name, value) in call.Arguments ?? [])
            {
                writer.WritePropertyName(name);
                if (value is string text)
                {
                    writer.WriteStringValue(text);
                }
                else
                {
                    JsonSerializer.Serialize(writer, value, JsonDefaults.Compact);
                }
            }
            writer.WriteEndObject();
        }, ToolExecutor.InputPreviewBytes);

    /// <summary>Null when the arguments fit MAX_TOOL_ARGUMENT_SIZE; otherwise the refusal.</summary>
    public string? ArgumentsRefusal(JsonExtent size) =>
        size.Bytes > limits.MaxToolArgumentBytes ? ToolExecutor.ArgumentsTooLarge(size.Bytes, limits.MaxToolArgumentBytes) : null;

    /// <summary>
    /// Keeps the output whole while the run's output stays within MAX_RUN_OUTPUT_SIZE; past it, keeps a preview of what
    /// is left of the budget (possibly nothing) and says how much was cut.
    /// </summary>
    public ToolExecutionResult KeepOutput(ToolExecutionResult result)
    {
        if (result.OutputJson is not { } json)
        {
            return result;
        }
        var remaining = Math.Max(0, limits.MaxRunOutputBytes - _outputBytes);
        // The text is already written (it is what the audit stores); only an output past the budget is measured for a preview.
        long bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes <= remaining)
        {
            _outputBytes += bytes;
            return result;
        }
        var size = JsonMeasure.Of(result.Output, (int)Math.Min(remaining, int.MaxValue));
        var preview = FitEscaped(size.Preview, remaining);
        _outputBytes += EscapedBytes(preview);
        var kept = (size with { Preview = preview }).ToTruncated(
            $"This run's tool output budget of {limits.MaxRunOutputBytes} bytes (MAX_RUN_OUTPUT_SIZE) is used up; only the start of this output was kept.");
        return result with { Output = kept, Truncated = true };
    }

    /// <summary>Counts output a resumed run kept before the restart against the run's budget, as it was kept then.</summary>
    public void KeepRecorded(JsonNode? output)
    {
        if (output is not null)
        {
            _outputBytes += JsonMeasure.Of(output).Bytes;
        }
    }

    /// <summary>
    /// Shortens <paramref name="text"/> until it takes at most <paramref name="maxBytes"/> once escaped as a JSON string:
    /// quotes and control characters grow when stored, and the budget is for what is stored.
    /// </summary>
    private static string FitEscaped(string text, long maxBytes)
    {
        var escaped = EscapedBytes(text);
        while (escaped > maxBytes && text.Length > 0)
        {
            // Every character takes at least one byte escaped, so cutting as many characters as bytes are in excess fits.
            var cut = (int)Math.Min(text.Length, escaped - maxBytes);
            var keep = text.Length - cut;
            if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
            {
                keep--;
            }
            text = text[..keep];
            escaped = EscapedBytes(text);
        }
        return text;
    }

    private static long EscapedBytes(string text) => JsonMeasure.Of(JsonValue.Create(text)).Bytes - 2;
}
