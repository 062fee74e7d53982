using System.Net;
using Agent.Core.Runs;
using Agent.Tests.Infrastructure;
using Agent.Web.Cli;

namespace Agent.Tests.Auditing;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset Day = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static async Task<(SeedRun First, SeedRun Second)> SeedAsync(AgentApplication app)
    {
        var first = new SeedRun("list the files", RunStatus.Success, "api", "tests", Day, "2 entries", null,
            new SeedExecution("list_dir", "success", """{"path":"."}""", """{"count":2}"""));
        var second = new SeedRun("read notes.txt", RunStatus.ToolError, "api", "tests", Day.AddMinutes(1), null, "tool failed",
            new SeedExecution("read_file", "error", """{"path":"notes.txt"}""", null, "File not found"));
        await app.SeedAsync(first, second);
        // One security event so that every chained table has a row.
        await app.CreateClient().GetAsync("/audit/verify");
        await app.WaitForRowsAsync("SELECT id FROM security_events", 1);
        return (first, second);
    }

    [Fact]
    public async Task Verify_UntouchedChain_ReturnsOkWithEveryEntry()
    {
        await using var app = new AgentApplication();
        var (_, _) = await SeedAsync(app);

        using var body = await app.CreateAuthenticatedClient().GetJsonAsync("/audit/verify");

        Assert.Equal("ok", body.RootElement.GetProperty("status").GetString());
        // 2 runs x (start, decision, execution, completion) + 1 security event.
        Assert.Equal(9, body.RootElement.GetProperty("entries_verified").GetInt64());
        Assert.Equal(9, body.RootElement.GetProperty("head_seq").GetInt64());
        Assert.False(body.RootElement.TryGetProperty("broken", out _));
    }

    public static TheoryData<string, string, string> Edits => new()
    {
        { "requests", "UPDATE requests SET input = 'something harmless' WHERE id = '{second}'", "{second}" },
        { "requests", "UPDATE requests SET status = 'success' WHERE id = '{second}'", "{second}" },
        { "requests", "UPDATE requests SET principal = 'someone-else' WHERE id = '{first}'", "{first}" },
        { "decisions", "UPDATE decisions SET reasoning = 'nothing to see' WHERE request_id = '{second}'", "decision:{second}" },
        { "tool_executions", "UPDATE tool_executions SET output = '{\"count\":0}' WHERE request_id = '{first}'", "execution:{first}" },
        { "tool_executions", "UPDATE tool_executions SET status = 'success' WHERE request_id = '{second}'", "execution:{second}" },
        { "security_events", "UPDATE security_events SET reason = 'nothing'", "event" },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public async Task Verify_RowEditedWithSql_NamesThatRow(string table, string sql, string expectedRow)
    {
        await using var app = new AgentApplication();
        var (first, second) = await SeedAsync(app);
        var ids = new Dictionary<string, string>
        {
            ["{first}"] = first.Id,
            ["{second}"] = second.Id,
            ["decision:{second}"] = await ScalarAsync(app, $"SELECT id FROM decisions WHERE request_id = '{second.Id}'"),
            ["execution:{first}"] = await ScalarAsync(app, $"SELECT id FROM tool_executions WHERE request_id = '{first.Id}'"),
            ["execution:{second}"] = await ScalarAsync(app, $"SELECT id FROM tool_executions WHERE request_id = '{second.Id}'"),
            ["event"] = await ScalarAsync(app, "SELECT id FROM security_events"),
        };

        Assert.Equal(1, await app.TamperAsync(sql.Replace("{first}", first.Id).Replace("{second}", second.Id)));
        var result = await app.VerifyAsync();

        Assert.False(result.IsValid);
        Assert.Equal(table, result.Break!.Table);
        Assert.Equal(ids[expectedRow], result.Break.RowId);
    }

    [Fact]
    public async Task Verify_RunningRowMarkedFinished_NamesThatRow()
    {
        await using var app = new AgentApplication();
        var running = new SeedRun("still going", RunStatus.Running, "api", "tests", Day);
        await app.SeedAsync(running, new SeedRun("later", RunStatus.Success, "api", "tests", Day.AddMinutes(1), "done"));

        await app.TamperAsync($"UPDATE requests SET status = 'success', output = 'fine' WHERE id = '{running.Id}'");
        var result = await app.VerifyAsync();

        Assert.False(result.IsValid);
        Assert.Equal(("requests", running.Id), (result.Break!.Table, result.Break.RowId));
    }

    [Fact]
    public async Task Verify_MiddleRowDeleted_NamesTheRowAfterTheGap()
    {
        await using var app = new AgentApplication();
        var (first, _) = await SeedAsync(app);
        var executionSeq = long.Parse(await ScalarAsync(app, $"SELECT seq FROM tool_executions WHERE request_id = '{first.Id}'"), System.Globalization.CultureInfo.InvariantCulture);

        await app.TamperAsync($"DELETE FROM tool_executions WHERE request_id = '{first.Id}'");
        var result = await app.VerifyAsync();

        Assert.False(result.IsValid);
        Assert.Equal(("requests", first.Id, executionSeq + 1), (result.Break!.Table, result.Break.RowId, result.Break.Seq));
        Assert.Contains("missing", result.Break.Reason);
    }

    [Fact]
    public async Task Verify_NewestRowDeleted_ReportsTheChainHead()
    {
        await using var app = new AgentApplication();
        var (_, _) = await SeedAsync(app);

        await app.TamperAsync("DELETE FROM security_events");
        var result = await app.VerifyAsync();

        Assert.False(result.IsValid);
        Assert.Equal("audit_chain_head", result.Break!.Table);
        Assert.Equal(9, result.Break.Seq);
    }

    [Fact]
    public async Task Verify_ConcurrentRuns_ChainDoesNotFork()
    {
        await using var app = new AgentApplication();
        File.WriteAllText(Path.Combine(app.WorkspacePath, "notes.txt"), "hello");

        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            app.RunAsync(i % 2 == 0 ? "List the files in the workspace" : "Read notes.txt")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var result = await app.VerifyAsync();
        Assert.True(result.IsValid, result.Break?.ToString());
        // Each run: start, two decisions, one execution, completion.
        Assert.Equal(24 * 5, result.EntriesVerified);
    }

    [Fact]
    public async Task GetVerify_WithoutKey_Returns401()
    {
        await using var app = new AgentApplication();

        var response = await app.CreateClient().GetAsync("/audit/verify");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AuditCommand_IntactDatabase_PrintsOkAndExitsZero()
    {
        await using var app = new AgentApplication();
        var (_, _) = await SeedAsync(app);
        var output = new StringWriter();

        var exitCode = await AuditCommand.RunAsync(["audit", "verify", $"--Agent:DatabasePath={app.DatabasePath}"], output, new StringWriter());

        Assert.Equal(AuditCommand.Intact, exitCode);
        Assert.Contains("OK: 9 audit chain entries verified", output.ToString());
    }

    [Fact]
    public async Task AuditCommand_TamperedDatabase_NamesRowAndExitsOne()
    {
        await using var app = new AgentApplication();
        var (_, second) = await SeedAsync(app);
        await app.TamperAsync($"UPDATE requests SET output = 'rewritten' WHERE id = '{second.Id}'");
        var output = new StringWriter();

        var exitCode = await AuditCommand.RunAsync(["audit", "verify", $"--Agent:DatabasePath={app.DatabasePath}"], output, new StringWriter());

        Assert.Equal(AuditCommand.Broken, exitCode);
        Assert.Contains($"BROKEN: requests id {second.Id}", output.ToString());
    }

    [Fact]
    public async Task AuditCommand_MissingDatabase_ExitsTwoWithoutCreatingIt()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("none", "agent.db");
        var errors = new StringWriter();

        var exitCode = await AuditCommand.RunAsync(["audit", "verify", $"--Agent:DatabasePath={path}"], new StringWriter(), errors);

        Assert.Equal(AuditCommand.Failed, exitCode);
        Assert.Contains("No audit database", errors.ToString());
        Assert.False(File.Exists(path));
    }

    private static async Task<string> ScalarAsync(AgentApplication app, string sql) =>
        Convert.ToString(Assert.Single(await app.QueryAsync(sql)).Values.Single(), System.Globalization.CultureInfo.InvariantCulture)!;
}
