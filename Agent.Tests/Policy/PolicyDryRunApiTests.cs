using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Agent.Tests.Auditing;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Policy;

/// <summary>
/// <c>POST /policy/dry-run</c> on a real application over a history made by real runs (no rules in force, so every call
/// was allowed by <c>default</c>), with the answers worked out by hand; and who may ask, and what a bad policy gets.
/// </summary>
public sealed class PolicyDryRunApiTests
{
    private const string RunnerKey = "dry-runner-0123456789abcdef";
    private const string AuditorKey = "dry-auditor-0123456789abcde";
    private const string OperatorKey = "dry-operator-0123456789abcd";

    private static readonly object[] ProposedRules =
    [
        new { id = "no-secrets", tool = "*", when = new { paths = new[] { "secrets/**" } }, effect = "deny", reason = "never" },
        new { id = "ask-writes", tool = "write_*", effect = "ask" },
        new { id = "never-used", tool = "run_command", effect = "deny" },
    ];

    private static AgentApplication App() => new(new Dictionary<string, string?>
    {
        ["Agent:ApiKeys:runner"] = RunnerKey,
        ["Agent:KeyRoles:runner"] = "runner",
        ["Agent:ApiKeys:carol"] = AuditorKey,
        ["Agent:KeyRoles:carol"] = "auditor",
        ["Agent:ApiKeys:erin"] = OperatorKey,
        ["Agent:KeyRoles:erin"] = "operator",
        ["Agent:KeyRoles:" + AgentApplication.ApiKeyName] = "admin",
    });

    private static HttpClient Client(AgentApplication app, string key)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    /// <summary>Four runs, one call each, oldest first: write a.txt, write secrets/k.txt, read secrets/k.txt, list the workspace.</summary>
    private static async Task<string[]> SeedAsync(AgentApplication app)
    {
        var ids = new List<string>();
        foreach (var input in new[] { "write 'a' to a.txt", "write 's' to secrets/k.txt", "read secrets/k.txt", "list the files" })
        {
            var response = await app.RunAsync(input);
            var run = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("success", run.GetProperty("status").GetString());
            ids.Add(run.GetProperty("request_id").GetString()!);
        }
        return [.. ids];
    }

    [Fact]
    public async Task DryRun_SeededHistory_ReportsPerRuleChangesWithExamplesLinkedToTheirRuns()
    {
        await using var app = App();
        var runs = await SeedAsync(app);
        using var erin = Client(app, OperatorKey);

        var response = await erin.PostAsJsonAsync("/policy/dry-run", new { rules = ProposedRules, last = 100 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((4, 0, 3), (report.GetProperty("examined").GetInt32(), report.GetProperty("skipped").GetInt32(), report.GetProperty("changed").GetInt32()));
        Assert.NotEqual(report.GetProperty("current_version").GetString(), report.GetProperty("proposed_version").GetString());
        var rules = report.GetProperty("rules").EnumerateArray().ToDictionary(r => r.GetProperty("rule_id").GetString()!);
        Assert.Equal(["ask-writes", "default", "never-used", "no-secrets"], rules.Keys.Order());

        // no-secrets: the write and the read of secrets/k.txt, both allowed before, denied now.
        var secrets = rules["no-secrets"];
        Assert.Equal(("deny", 2, 2), (secrets.GetProperty("effect").GetString(), secrets.GetProperty("matched").GetInt32(), secrets.GetProperty("changed").GetInt32()));
        Assert.Equal(2, secrets.GetProperty("transitions").GetProperty("allow->deny").GetInt32());
        Assert.Equal(new[] { runs[1], runs[2] }.Order(), secrets.GetProperty("examples").EnumerateArray().Select(e => e.GetProperty("request_id").GetString()).Order());
        Assert.All(secrets.GetProperty("examples").EnumerateArray(), e => Assert.Equal(("allow", "deny", "default"),
            (e.GetProperty("from").GetString(), e.GetProperty("to").GetString(), e.GetProperty("from_rule").GetString())));
        // ask-writes: only the write of a.txt (secrets/k.txt was taken by the earlier rule).
        var writes = rules["ask-writes"];
        Assert.Equal(("ask", 1, 1), (writes.GetProperty("effect").GetString(), writes.GetProperty("matched").GetInt32(), writes.GetProperty("changed").GetInt32()));
        Assert.Equal(1, writes.GetProperty("transitions").GetProperty("allow->ask").GetInt32());
        var example = Assert.Single(writes.GetProperty("examples").EnumerateArray());
        Assert.Equal((runs[0], "write_file", "a.txt"), (example.GetProperty("request_id").GetString(), example.GetProperty("tool_name").GetString(),
            example.GetProperty("input").GetProperty("path").GetString()));
        var executionId = (await app.QueryAsync($"SELECT id FROM tool_executions WHERE request_id = '{runs[0]}'"))[0]["id"];
        Assert.Equal((long)executionId!, example.GetProperty("execution_id").GetInt64());
        // The listing stays allowed by default; a rule that matches nothing is still reported, with zero.
        Assert.Equal((1, 0), (rules["default"].GetProperty("matched").GetInt32(), rules["default"].GetProperty("changed").GetInt32()));
        Assert.Equal((0, 0), (rules["never-used"].GetProperty("matched").GetInt32(), rules["never-used"].GetProperty("changed").GetInt32()));
        // Nothing ran: no new run, execution or file.
        Assert.Equal(4L, (await app.QueryAsync("SELECT COUNT(*) AS n FROM tool_executions"))[0]["n"]);

        // last=2 replays only the two newest executions: the read of secrets/k.txt and the listing.
        var recent = await (await erin.PostAsJsonAsync("/policy/dry-run", new { rules = ProposedRules, last = 2 })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((2, 1), (recent.GetProperty("examined").GetInt32(), recent.GetProperty("changed").GetInt32()));
        var recentSecrets = recent.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule_id").GetString() == "no-secrets");
        Assert.Equal(runs[2], Assert.Single(recentSecrets.GetProperty("examples").EnumerateArray()).GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task DryRun_RunnerOrAuditorKey_IsForbidden_AndRecorded()
    {
        await using var app = App();
        using var runner = Client(app, RunnerKey);
        using var carol = Client(app, AuditorKey);

        foreach (var client in new[] { runner, carol })
        {
            var refused = await client.PostAsJsonAsync("/policy/dry-run", new { rules = ProposedRules });
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("may not use POST /policy/dry-run", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync("/policy/dry-run", new { rules = ProposedRules })).StatusCode);
        var recorded = await app.WaitForRowsAsync("SELECT principal FROM security_events WHERE reason = 'role_forbidden' AND route = '/policy/dry-run'", 2);
        Assert.Equal(["carol", "runner"], recorded.Select(r => (string)r["principal"]!).Order());
    }

    [Fact]
    public async Task DryRun_InvalidPolicy_Is422NamingEachBadField()
    {
        await using var app = App();
        using var admin = app.CreateAuthenticatedClient();
        object[] rules =
        [
            new { id = "ok", tool = "write_file", effect = "ask" },
            new { id = "ok", tool = "no_such_tool", effect = "maybe", when = new { hosts = new[] { "https://example.com/x" } } },
        ];

        var response = await admin.PostAsJsonAsync("/policy/dry-run", new { rules, last = 10 });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Invalid policy", body.GetProperty("error").GetString());
        var details = body.GetProperty("details").EnumerateArray().Select(d => d.GetString()!).ToList();
        Assert.Contains(details, d => d.Contains("Policy:Rules:1:Id") && d.Contains("used by an earlier rule"));
        Assert.Contains(details, d => d.Contains("Policy:Rules:1:Effect") && d.Contains("'maybe'"));
        Assert.Contains(details, d => d.Contains("Policy:Rules:1:Tool") && d.Contains("matches no tool"));
        Assert.Contains(details, d => d.Contains("Policy:Rules:1:When:Hosts:0"));
        Assert.DoesNotContain(details, d => d.Contains("Rules:0"));

        // The replay window is checked with the body, before the rules are read.
        var window = await admin.PostAsJsonAsync("/policy/dry-run", new { rules = ProposedRules, last = 0 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, window.StatusCode);
        var windowDetails = (await window.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("details").EnumerateArray().Select(d => d.GetString()!);
        Assert.Contains(windowDetails, d => d.StartsWith("last:", StringComparison.Ordinal));
    }
}
