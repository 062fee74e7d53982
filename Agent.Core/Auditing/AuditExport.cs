using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Agent.Core.Auditing;

/// <summary>Streams runs out as CSV (one row per run) or JSON Lines (one fully detailed run per line).</summary>
public static class AuditExport
{
    public static readonly IReadOnlyList<string> CsvColumns =
    [
        "id", "created_at", "completed_at", "status", "source", "principal", "client_ip", "duration_ms",
        "decision_count", "tool_execution_count", "tool_names", "input", "output", "error", "tool_policies",
    ];

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    /// <summary>
    /// RFC 4180 CSV. Values are exported verbatim (no spreadsheet-formula escaping: this is evidence). A null is an
    /// empty field, an empty string is <c>""</c>. <c>tool_names</c> lists the executions' tools in order, separated by <c>;</c>,
    /// and <c>tool_policies</c> why each ran or not, in the same order: <c>rule/effect</c>, then for an ask how it was
    /// answered (<c>ask-writes/ask/approved</c>, <c>ask-writes/ask/grant</c>); empty for rows recorded before policies.
    /// Who decided, when and the grant's id are in the JSON Lines export.
    /// </summary>
    public static async Task WriteCsvAsync(IAsyncEnumerable<RunDetail> runs, Stream output, CancellationToken cancellationToken = default)
    {
        await using var writer = new StreamWriter(output, Utf8, bufferSize: 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(string.Join(',', CsvColumns));
        await foreach (var run in runs.WithCancellation(cancellationToken))
        {
            string?[] fields =
            [
                run.Id, Timestamp(run.CreatedAt), run.CompletedAt is { } completed ? Timestamp(completed) : null, run.Status, run.Source,
                run.Principal, run.ClientIp, Number(run.DurationMs), Number(run.Decisions.Count), Number(run.ToolExecutions.Count),
                string.Join(';', run.ToolExecutions.Select(e => e.ToolName)), run.Input, run.Output, run.Error,
                string.Join(';', run.ToolExecutions.Select(e => PolicySummary(e.Policy))),
            ];
            await writer.WriteLineAsync(string.Join(',', fields.Select(Field)));
        }
        await writer.FlushAsync(cancellationToken);
    }

    public static async Task WriteJsonLinesAsync(IAsyncEnumerable<RunDetail> runs, Stream output, CancellationToken cancellationToken = default)
    {
        await foreach (var run in runs.WithCancellation(cancellationToken))
        {
            await JsonSerializer.SerializeAsync(output, run, JsonDefaults.Compact, cancellationToken);
            await output.WriteAsync(NewLine, cancellationToken);
        }
        await output.FlushAsync(cancellationToken);
    }

    private static string PolicySummary(JsonElement? policy)
    {
        static string? Text(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;

        if (policy is not { ValueKind: JsonValueKind.Object } recorded)
        {
            return "";
        }
        var summary = $"{Text(recorded, "rule")}/{Text(recorded, "effect")}";
        if (recorded.TryGetProperty("approval", out var approval) && Text(approval, "status") is { } status)
        {
            return $"{summary}/{status}";
        }
        return recorded.TryGetProperty("grant", out var grant) && grant.ValueKind == JsonValueKind.Object ? $"{summary}/grant" : summary;
    }

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString(UtcTimestampConverter.Format, CultureInfo.InvariantCulture);

    private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string Field(string? value) =>
        value switch
        {
            null => "",
            "" => "\"\"",
            _ when value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value[0] == ' ' || value[^1] == ' ' =>
                "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
            _ => value,
        };
}
