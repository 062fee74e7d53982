using System.Net;
using System.Net.Http.Json;
using System.Text;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Auditing;

public sealed class SecurityEventTests
{
    private const string Events = "SELECT * FROM security_events ORDER BY seq";

    [Fact]
    public async Task PostRun_MissingKey_RecordsMissingKeyEvent()
    {
        await using var app = new AgentApplication();

        var response = await app.CreateClient().PostAsJsonAsync("/agent/run", new { input = "List the files" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var row = Assert.Single(await app.WaitForRowsAsync(Events, 1));
        Assert.Equal(401L, row["status_code"]);
        Assert.Equal("missing_api_key", row["reason"]);
        Assert.Equal("POST", row["method"]);
        Assert.Equal("/agent/run", row["route"]);
        Assert.Null(row["principal"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT.*Z$", (string)row["created_at"]!);
    }

    [Fact]
    public async Task PostRun_WrongKey_RecordsInvalidKeyEventWithoutTheKey()
    {
        await using var app = new AgentApplication();
        const string presented = "wrong-key-that-must-never-be-stored-0123";
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", presented);

        var response = await client.PostAsJsonAsync("/agent/run", new { input = "List the files" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var row = Assert.Single(await app.WaitForRowsAsync(Events, 1));
        Assert.Equal("invalid_api_key", row["reason"]);
        Assert.DoesNotContain(row.Values, v => v is string s && s.Contains("wrong-key", StringComparison.Ordinal));
        await AssertNotInDatabaseFilesAsync(app, presented);
        await AssertNotInDatabaseFilesAsync(app, AgentApplication.ApiKey);
    }

    [Fact]
    public async Task PostRun_OverRateLimit_Records429WithKeyNameOnly()
    {
        await using var app = new AgentApplication(new Dictionary<string, string?>
        {
            ["Agent:RateLimitEnabled"] = "true",
            ["Agent:RateLimitRequests"] = "1",
        });
        var client = app.CreateAuthenticatedClient();

        await app.RunAsync("Check your health", client);
        var limited = await app.RunAsync("Check your health", client);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var row = Assert.Single(await app.WaitForRowsAsync(Events, 1));
        Assert.Equal(429L, row["status_code"]);
        Assert.Equal("rate_limited", row["reason"]);
        Assert.Equal(AgentApplication.ApiKeyName, row["principal"]);
        await AssertNotInDatabaseFilesAsync(app, AgentApplication.ApiKey);
    }

    [Fact]
    public async Task PostRun_BodyOverLimit_Records413()
    {
        await using var app = new AgentApplication(new Dictionary<string, string?> { ["Agent:MaxRequestSize"] = "1024" });
        // Request size limits are enforced by Kestrel, so this test talks to a real server.
        app.UseKestrel(0);
        app.StartServer();
        var client = app.CreateAuthenticatedClient();

        var response = await client.PostAsync("/agent/run", new StringContent($$"""{"input":"{{new string('a', 4000)}}"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("too large", await response.Content.ReadAsStringAsync());
        var row = Assert.Single(await app.WaitForRowsAsync(Events, 1));
        Assert.Equal(413L, row["status_code"]);
        Assert.Equal("body_too_large", row["reason"]);
        Assert.Equal(AgentApplication.ApiKeyName, row["principal"]);
        Assert.Equal("127.0.0.1", row["client_ip"]);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"input": """)]
    [InlineData("""{"input": 42}""")]
    public async Task PostRun_InvalidBody_Records422(string json)
    {
        await using var app = new AgentApplication();

        var response = await app.CreateAuthenticatedClient().PostAsync("/agent/run", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var row = Assert.Single(await app.WaitForRowsAsync(Events, 1));
        Assert.Equal(422L, row["status_code"]);
        Assert.Equal("invalid_body", row["reason"]);
        Assert.Equal(AgentApplication.ApiKeyName, row["principal"]);
    }

    [Fact]
    public async Task SecurityEvents_RepeatedRejections_FoldIntoOneCountedRowThatVerifies()
    {
        await using var app = new AgentApplication(new Dictionary<string, string?> { ["Limits:SecurityEventWindowSeconds"] = "1" });
        await app.RunAsync("List the files");

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => app.CreateClient().GetAsync("/audit/requests")));

        // The first is written at once; the 19 repeats of the same source and reason become one row when the window closes.
        var rows = await app.WaitForRowsAsync(Events, 2);
        Assert.Equal(2, rows.Count);
        Assert.Null(rows[0]["count"]);
        Assert.Equal(19L, rows[1]["count"]);
        Assert.All(rows, r => Assert.Equal("missing_api_key", r["reason"]));
        Assert.True(string.CompareOrdinal((string)rows[1]["window_end"]!, (string)rows[1]["created_at"]!) >= 0);
        var result = await app.VerifyAsync();
        Assert.True(result.IsValid, result.Break?.ToString());
        Assert.Equal(2 + 5, result.EntriesVerified);
    }

    [Fact]
    public async Task SecurityEvents_DifferentReasonsOrKeys_AreNotFoldedTogether()
    {
        await using var app = new AgentApplication(new Dictionary<string, string?> { ["Limits:SecurityEventWindowSeconds"] = "1" });
        var wrong = app.CreateClient();
        wrong.DefaultRequestHeaders.Add("X-API-Key", "wrong-key-0123456789abcdef");

        await app.CreateClient().GetAsync("/audit/requests");
        await wrong.GetAsync("/audit/requests");
        await app.CreateAuthenticatedClient().PostAsync("/agent/run", new StringContent("{}", Encoding.UTF8, "application/json"));

        var rows = await app.WaitForRowsAsync(Events, 3);
        Assert.Equal(["missing_api_key", "invalid_api_key", "invalid_body"], rows.Select(r => (string)r["reason"]!));
        Assert.All(rows, r => Assert.Null(r["count"]));
    }

    [Fact]
    public async Task PostRun_Accepted_RecordsNoSecurityEvent()
    {
        await using var app = new AgentApplication();

        await app.RunAsync("List the files");
        // A rejection afterwards proves the background writer is running; only it may appear.
        await app.CreateClient().GetAsync("/audit/verify");

        var row = Assert.Single(await app.WaitForRowsAsync(Events, 1));
        Assert.Equal("/audit/verify", row["route"]);
    }

    /// <summary>Neither the database nor its WAL holds the secret, in any column or page.</summary>
    private static async Task AssertNotInDatabaseFilesAsync(AgentApplication app, string secret)
    {
        foreach (var file in new[] { app.DatabasePath, app.DatabasePath + "-wal" }.Where(File.Exists))
        {
            var bytes = await ReadSharedAsync(file);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
        }
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
