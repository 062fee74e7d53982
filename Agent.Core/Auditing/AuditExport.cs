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
        "decision_count", "tool_execution_count", "tool_names", "input", "output", "error",
    ];

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    /// <summary>
    /// RFC 4180 CSV. Values are exported verbatim (no spreadsheet-formula escaping: this is evidence). A null is an
    /// empty field, an empty string is <c>""</c>. <c>tool_names</c> lists the executions' tools in order, separated by <c>;</c>.
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
