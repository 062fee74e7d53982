using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agent.Core.Auditing;
using Agent.Core.Runs;
using Agent.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Auditing;

public sealed class AuditQueryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Jan = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly AgentApplication _app = new();

    private readonly SeedRun _listed = new("list the files", RunStatus.Success, "api", "alice", Jan, "2 entries", null,
        new SeedExecution("list_dir", "success", """{"path":"."}""", """{"entries":["notes.txt","docs"],"count":2}"""));
    private readonly SeedRun _failedRead = new("read the secret plan", RunStatus.ToolError, "console", "operator", Jan.AddDays(4), null, null,
        new SeedExecution("read_file", "error", """{"path":"plan.md"}""", null, "File not found: plan.md"));
    private readonly SeedRun _stepLimit = new("do something impossible", RunStatus.Error, "api", "bob", Jan.AddDays(9), null, "Step limit reached");
    private readonly SeedRun _running = new("check your health", RunStatus.Running, "api", "alice", Jan.AddDays(11), null, null,
        new SeedExecution("health_check", "success", "{}", """{"status":"healthy"}"""));

    public async Task InitializeAsync() => await _app.SeedAsync(_listed, _failedRead, _stepLimit, _running);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<AuditPage<RunSummary>> SearchAsync(AuditQuery query) =>
        _app.Services.GetRequiredService<AuditQueries>().SearchAsync(query);

    private static string[] Ids(AuditPage<RunSummary> page) => page.Items.Select(r => r.Id).ToArray();

    [Fact]
    public async Task Search_NoFilter_ReturnsAllNewestFirst()
    {
        var page = await SearchAsync(new AuditQuery());

        Assert.Equal([_running.Id, _stepLimit.Id, _failedRead.Id, _listed.Id], Ids(page));
        Assert.Equal(4, page.TotalCount);
        Assert.Equal(1, page.Items.Single(r => r.Id == _listed.Id).ToolExecutionCount);
    }

    [Fact]
    public async Task Search_ByStatus_ReturnsOnlyThatStatus()
    {
        Assert.Equal([_failedRead.Id], Ids(await SearchAsync(new AuditQuery { Status = RunStatus.ToolError })));
        Assert.Equal([_running.Id], Ids(await SearchAsync(new AuditQuery { Status = RunStatus.Running })));
    }

    [Fact]
    public async Task Search_ByToolName_ReturnsRunsThatCalledIt()
    {
        Assert.Equal([_failedRead.Id], Ids(await SearchAsync(new AuditQuery { ToolName = "read_file" })));
        Assert.Equal([_listed.Id], Ids(await SearchAsync(new AuditQuery { ToolName = "list_dir" })));
        Assert.Empty(Ids(await SearchAsync(new AuditQuery { ToolName = "write_file" })));
    }

    [Fact]
    public async Task Search_ByToolNameAlone_CountsEachRunOnceWhateverItsCalls()
    {
        // The tool-only count runs on the executions index; it must agree with the general path.
        var toolOnly = await SearchAsync(new AuditQuery { ToolName = "read_file", PageSize = 1 });
        var combined = await SearchAsync(new AuditQuery { ToolName = "read_file", Source = "console", PageSize = 1 });

        Assert.Equal(Ids(await SearchAsync(new AuditQuery { ToolName = "read_file" })).Length, toolOnly.TotalCount);
        Assert.Equal(combined.TotalCount, toolOnly.TotalCount);
        Assert.Equal(0, (await SearchAsync(new AuditQuery { ToolName = "write_file" })).TotalCount);
    }

    [Fact]
    public async Task Search_BySourceAndPrincipal_CombinesFilters()
    {
        Assert.Equal([_failedRead.Id], Ids(await SearchAsync(new AuditQuery { Source = "console" })));
        Assert.Equal([_running.Id, _listed.Id], Ids(await SearchAsync(new AuditQuery { Principal = "alice" })));
        Assert.Equal([_listed.Id], Ids(await SearchAsync(new AuditQuery { Principal = "alice", Status = RunStatus.Success })));
    }

    [Fact]
    public async Task Search_ByDateRange_IncludesFromExcludesTo()
    {
        var page = await SearchAsync(new AuditQuery { From = _failedRead.CreatedAt, To = _running.CreatedAt });

        Assert.Equal([_stepLimit.Id, _failedRead.Id], Ids(page));
    }

    [Theory]
    [InlineData("notes.txt", "listed")]      // a tool execution's output
    [InlineData("SECRET", "failedRead")]     // the run's input, case-insensitive
    [InlineData("plan.md not", "failedRead")] // an execution's error; all words must match
    [InlineData("imposs", "stepLimit")]      // word prefix
    [InlineData("healthy", "running")]
    public async Task Search_ByText_FindsRunsWhoseTextMatches(string text, string expected)
    {
        var runs = new Dictionary<string, SeedRun> { ["listed"] = _listed, ["failedRead"] = _failedRead, ["stepLimit"] = _stepLimit, ["running"] = _running };

        var page = await SearchAsync(new AuditQuery { Text = text });

        Assert.Equal([runs[expected].Id], Ids(page));
    }

    [Fact]
    public async Task Search_TextWithFtsSyntax_IsTreatedAsPlainWords()
    {
        var page = await SearchAsync(new AuditQuery { Text = "\"files OR NEAR(* -" });

        Assert.Empty(page.Items);
    }

    [Fact]
    public async Task Search_SortedAscendingSecondPage_ReturnsThatSliceAndTotal()
    {
        var page = await SearchAsync(new AuditQuery { Descending = false, Page = 2, PageSize = 3 });

        Assert.Equal([_running.Id], Ids(page));
        Assert.Equal(4, page.TotalCount);
    }

    [Fact]
    public async Task Search_SortByPrincipal_OrdersByThatColumn()
    {
        var page = await SearchAsync(new AuditQuery { SortBy = AuditSortField.Principal, Descending = false });

        Assert.Equal(["alice", "alice", "bob", "operator"], page.Items.Select(r => r.Principal));
    }

    [Fact]
    public async Task TextSearch_QueryPlan_UsesFullTextIndexesNotScans()
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<AuditDbContext>>().CreateDbContextAsync();
        var sql = AuditQueries.Filter(db, new AuditQuery { Text = "notes", ToolName = "list_dir" }).ToQueryString();

        var plan = await ExplainAsync(sql);

        Assert.Contains(plan, step => step.Contains("VIRTUAL TABLE INDEX", StringComparison.Ordinal) && step.Contains("tool_executions_fts", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.Contains("VIRTUAL TABLE INDEX", StringComparison.Ordinal) && step.Contains("requests_fts", StringComparison.Ordinal));
        // The only scans are of the FTS indexes and of the small set of matching ids; the tables are searched by key.
        Assert.DoesNotContain(plan, step => Regex.IsMatch(step, "^SCAN (r|e|t|requests|tool_executions)( |$)"));
        Assert.Contains(plan, step => step.Contains("USING COVERING INDEX IX_tool_executions_tool_name_request_id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetRequests_QueryParameters_FilterAndPage()
    {
        var client = _app.CreateAuthenticatedClient();

        using var body = await client.GetJsonAsync("/audit/requests?principal=alice&sort=created_at&desc=false&page=1&page_size=1");

        var root = body.RootElement;
        Assert.Equal(2, root.GetProperty("total_count").GetInt32());
        Assert.Equal(1, root.GetProperty("page_size").GetInt32());
        Assert.Equal(_listed.Id, Assert.Single(root.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task GetRequests_TextAndToolQuery_ReturnsMatchingRun()
    {
        using var body = await _app.CreateAuthenticatedClient().GetJsonAsync("/audit/requests?q=plan&tool_name=read_file&status=tool_error");

        Assert.Equal(_failedRead.Id, Assert.Single(body.RootElement.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("sort=cost", "sort")]
    [InlineData("page=0", "page")]
    [InlineData("page_size=501", "page_size")]
    [InlineData("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    public async Task GetRequests_InvalidQuery_Returns400NamingTheParameter(string query, string parameter)
    {
        var response = await _app.CreateAuthenticatedClient().GetAsync("/audit/requests?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(body.RootElement.GetProperty("details").EnumerateArray(), d => d.GetString()!.StartsWith(parameter + ":", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetRequestById_KnownRun_ReturnsRequestDecisionsAndExecutionsInOrder()
    {
        using var body = await _app.CreateAuthenticatedClient().GetJsonAsync($"/audit/requests/{_failedRead.Id}");

        var root = body.RootElement;
        Assert.Equal("read the secret plan", root.GetProperty("input").GetString());
        Assert.Equal("tool_error", root.GetProperty("status").GetString());
        Assert.Equal("operator", root.GetProperty("principal").GetString());
        var decision = Assert.Single(root.GetProperty("decisions").EnumerateArray());
        var execution = Assert.Single(root.GetProperty("tool_executions").EnumerateArray());
        Assert.Equal(decision.GetProperty("id").GetInt64(), execution.GetProperty("decision_id").GetInt64());
        Assert.Equal("plan.md", execution.GetProperty("input").GetProperty("path").GetString());
        Assert.Equal("File not found: plan.md", execution.GetProperty("error").GetString());
    }

    [Fact]
    public async Task GetRequestById_UnknownRun_Returns404Json()
    {
        var response = await _app.CreateAuthenticatedClient().GetAsync($"/audit/requests/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("not found", body.RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("/audit/requests")]
    [InlineData("/audit/export?format=csv")]
    public async Task AuditRoutes_WithoutKey_Return401(string url)
    {
        var response = await _app.CreateClient().GetAsync(url);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>EXPLAIN QUERY PLAN of EF's SQL, with the <c>.param set</c> lines of ToQueryString bound as parameters.</summary>
    private async Task<List<string>> ExplainAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_app.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        var lines = sql.Split('\n');
        foreach (var line in lines.Where(l => l.StartsWith(".param set ", StringComparison.Ordinal)))
        {
            var parts = line[".param set ".Length..].Split(' ', 2);
            command.Parameters.AddWithValue(parts[0], parts[1].Trim().Trim('\'').Replace("''", "'", StringComparison.Ordinal));
        }
        command.CommandText = "EXPLAIN QUERY PLAN " + string.Join('\n', lines.Where(l => !l.StartsWith(".param set ", StringComparison.Ordinal)));
        await using var reader = await command.ExecuteReaderAsync();
        var steps = new List<string>();
        while (await reader.ReadAsync())
        {
            steps.Add(reader.GetString(3));
        }
        return steps;
    }
}
