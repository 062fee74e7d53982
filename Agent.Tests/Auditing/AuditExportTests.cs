using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Agent.Core;
using Agent.Core.Auditing;
using Agent.Core.Runs;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Auditing;

public sealed class AuditExportTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = new(2026, 2, 1, 8, 30, 0, TimeSpan.Zero);

    private readonly AgentApplication _app = new();

    private readonly SeedRun[] _runs =
    [
        new("list the files", RunStatus.Success, "api", "alice", Day, "Found 2 entries", null,
            new SeedExecution("list_dir", "success", """{"path":"."}""", """{"entries":["a","b"],"count":2}"""),
            new SeedExecution("read_file", "success", """{"path":"a"}""", """{"content":"x"}""")),
        new("read \"quoted\", with commas\nand a newline", RunStatus.ToolError, "console", null, Day.AddHours(1), "", "partly failed",
            new SeedExecution("read_file", "error", """{"path":"missing.txt"}""", null, "File not found")),
        new(" leading and trailing spaces ", RunStatus.Error, "api", "bob", Day.AddHours(2), null, "Step limit reached"),
    ];

    public async Task InitializeAsync() => await _app.SeedAsync(_runs);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ExportCsv_AllRuns_ParsesBackToTheSameRuns()
    {
        var response = await _app.CreateAuthenticatedClient().GetAsync("/audit/export?format=csv&desc=false");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/csv", response.Content.Headers.ContentType!.ToString());
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        var rows = ParseCsv(await response.Content.ReadAsStringAsync());
        Assert.Equal(AuditExport.CsvColumns, rows[0].Select(c => c!));
        var records = rows.Skip(1).Select(r => rows[0].Zip(r).ToDictionary(p => p.First!, p => p.Second)).ToList();
        Assert.Equal(_runs.Select(r => r.Id), records.Select(r => r["id"]));
        foreach (var record in records)
        {
            var run = (await _app.Services.GetRequiredService<AuditQueries>().GetRunAsync(record["id"]!))!;
            Assert.Equal(run.Input, record["input"]);
            Assert.Equal(run.Output, record["output"]);
            Assert.Equal(run.Error, record["error"]);
            Assert.Equal(run.Status, record["status"]);
            Assert.Equal(run.Source, record["source"]);
            Assert.Equal(run.Principal, record["principal"]);
            Assert.Equal(run.ClientIp, record["client_ip"]);
            Assert.Equal(run.DurationMs, long.Parse(record["duration_ms"]!, CultureInfo.InvariantCulture));
            Assert.Equal(Millis(run.CreatedAt), DateTimeOffset.Parse(record["created_at"]!, CultureInfo.InvariantCulture));
            Assert.Equal(Millis(run.CompletedAt!.Value), DateTimeOffset.Parse(record["completed_at"]!, CultureInfo.InvariantCulture));
            Assert.Equal(run.Decisions.Count, int.Parse(record["decision_count"]!, CultureInfo.InvariantCulture));
            Assert.Equal(string.Join(';', run.ToolExecutions.Select(e => e.ToolName)), record["tool_names"]);
        }
        Assert.Equal("list_dir;read_file", records[0]["tool_names"]);
    }

    [Fact]
    public async Task ExportJsonLines_AllRuns_ParsesBackToTheSameRuns()
    {
        var client = _app.CreateAuthenticatedClient();
        var response = await client.GetAsync("/audit/export?format=jsonl");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/x-ndjson", response.Content.Headers.ContentType!.ToString());
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var exported = lines.Select(l => JsonSerializer.Deserialize<RunDetail>(l, JsonDefaults.Compact)!).ToList();
        Assert.Equal(_runs.AsEnumerable().Reverse().Select(r => r.Id), exported.Select(r => r.Id));
        foreach (var run in exported)
        {
            var stored = await client.GetStringAsync($"/audit/requests/{run.Id}");
            Assert.Equal(stored, JsonSerializer.Serialize(run, JsonDefaults.Compact));
        }
        Assert.Equal(2, exported.Single(r => r.Id == _runs[0].Id).ToolExecutions.Count);
        Assert.Equal(2, exported.Single(r => r.Id == _runs[0].Id).ToolExecutions[0].Output!.Value.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Export_WithFilter_ContainsOnlyMatchingRuns()
    {
        var text = await _app.CreateAuthenticatedClient().GetStringAsync("/audit/export?format=jsonl&tool_name=read_file&status=tool_error");

        var line = Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(_runs[1].Id, JsonDocument.Parse(line).RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Export_UnknownFormat_Returns400()
    {
        var response = await _app.CreateAuthenticatedClient().GetAsync("/audit/export?format=xml");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("format", await response.Content.ReadAsStringAsync());
    }

    private static DateTimeOffset Millis(DateTimeOffset value) => new(value.Ticks - value.Ticks % TimeSpan.TicksPerMillisecond, value.Offset);

    /// <summary>RFC 4180 reader: an unquoted empty field is null, a quoted empty field is "".</summary>
    private static List<string?[]> ParseCsv(string text)
    {
        var rows = new List<string?[]>();
        var fields = new List<string?>();
        var field = new StringBuilder();
        var quoted = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"' && field.Length == 0 && !quoted)
            {
                quoted = true;
                i++;
                while (true)
                {
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                    }
                    else if (text[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        field.Append(text[i++]);
                    }
                }
                continue;
            }
            if (c is ',' or '\r')
            {
                fields.Add(quoted || field.Length > 0 ? field.ToString() : null);
                field.Clear();
                quoted = false;
                i += c == '\r' ? 2 : 1;
                if (c == '\r')
                {
                    rows.Add([.. fields]);
                    fields.Clear();
                }
                continue;
            }
            field.Append(c);
            i++;
        }
        return rows;
    }
}
