using Agent.Core.Auditing;
using Agent.Core.Policy;
using Agent.Core.Runs;
using Agent.Tests.Infrastructure;
using Agent.Web.Components.Pages;
using Agent.Web.Runs;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Console;

/// <summary>The policy page: the rules in force, and a dry-run over real recorded executions, for admins only.</summary>
public sealed class PolicyPageTests : ConsoleTestContext
{
    private const string Reason = "writes need a look " + HostileText.Img;

    public PolicyPageTests()
        : base(new Dictionary<string, string?>
        {
            ["Policy:Rules:0:Id"] = "ask-writes",
            ["Policy:Rules:0:Tool"] = "write_file",
            ["Policy:Rules:0:Effect"] = "ask",
            ["Policy:Rules:0:Reason"] = Reason,
        })
    {
    }

    [Theory]
    [InlineData("operator")]
    [InlineData("runner")]
    [InlineData("auditor")]
    public void PolicyPage_NotAnAdmin_SaysItIsForAdminsAndShowsNothingElse(string role)
    {
        AddAuthorization().SetAuthorized("someone").SetRoles(role);

        var page = Render<PolicyReview>();

        Assert.Single(page.FindAll("[data-testid=policy-admins-only]"));
        Assert.Empty(page.FindAll("[data-testid=policy-rules]"));
        Assert.Empty(page.FindAll("textarea"));
        Assert.Empty(page.FindAll("[data-testid=dry-run]"));
    }

    [Fact]
    public void PolicyPage_Admin_ShowsTheRulesInForceWithTheVersionAndStartsTheEditorFromThem()
    {
        AddAuthorization().SetAuthorized("root").SetRoles("admin");

        var page = Render<PolicyReview>();

        Assert.Equal(Services.GetRequiredService<EffectivePolicy>().Version, page.Find("[data-testid=policy-version]").TextContent);
        var rule = page.Find("[data-testid=policy-rule]");
        Assert.Equal("ask-writes", rule.GetAttribute("data-rule"));
        Assert.Contains(Reason, rule.TextContent);
        Assert.Empty(page.FindAll(HostileText.InjectedElements));
        var editor = page.Find("textarea").GetAttribute("value") ?? page.Find("textarea").TextContent;
        Assert.Contains("\"id\": \"ask-writes\"", editor);
        Assert.Contains("\"effect\": \"ask\"", editor);
    }

    [Fact]
    public async Task PolicyPage_DryRun_CountsChangedEffectsPerRuleWithExamplesLinkedToTheirRuns()
    {
        AddAuthorization().SetAuthorized("root").SetRoles("admin");
        await InitializeDatabaseAsync();
        File.WriteAllText(Path.Combine(WorkspacePath, "notes.txt"), "hello");
        var reads = new[] { await RunAsync("read notes.txt"), await RunAsync("read notes.txt") };
        await RunAsync("List the files in the workspace");
        await HistoryHoldsAsync(3);
        var page = Render<PolicyReview>();

        page.Find("textarea").Input("""
            [
              { "id": "ask-reads", "tool": "read_file", "effect": "ask", "reason": "reads too" },
              { "id": "ask-writes", "tool": "write_file", "effect": "ask" }
            ]
            """);
        page.Find("[data-testid=dry-run]").Click();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=dry-run-report]")), TimeSpan.FromSeconds(10));
        var summary = page.Find("[data-testid=dry-run-summary]");
        Assert.Equal(("3", "2"), (summary.GetAttribute("data-examined"), summary.GetAttribute("data-changed")));
        var askReads = page.Find("[data-testid=dry-run-rule][data-rule=ask-reads]");
        Assert.Equal(("2", "2"), (askReads.GetAttribute("data-matched"), askReads.GetAttribute("data-changed")));
        var transition = askReads.QuerySelector("[data-testid=dry-run-transition]")!;
        Assert.Equal(("allow->ask", "2"), (transition.GetAttribute("data-transition"), transition.GetAttribute("data-count")));
        Assert.Equal(reads.Select(r => $"/runs/{r}").Order(), askReads.QuerySelectorAll("[data-testid=dry-run-example-link]").Select(a => a.GetAttribute("href")!).Order());
        Assert.Contains("notes.txt", askReads.QuerySelector("[data-testid=dry-run-example-input]")!.TextContent);
        var unchanged = page.Find("[data-testid=dry-run-rule][data-rule=default]");
        Assert.Equal(("1", "0"), (unchanged.GetAttribute("data-matched"), unchanged.GetAttribute("data-changed")));
        Assert.Empty(page.FindAll("[data-testid=dry-run-problems]"));
    }

    [Fact]
    public void PolicyPage_ProposedPolicyNotJson_SaysWhereItBroke()
    {
        AddAuthorization().SetAuthorized("root").SetRoles("admin");
        var page = Render<PolicyReview>();

        page.Find("textarea").Input("[\n  { \"id\": , \"tool\": \"read_file\" }\n]");
        page.Find("[data-testid=dry-run]").Click();

        var problem = page.Find("[data-testid=dry-run-problem]").TextContent;
        Assert.StartsWith("Line 2, column", problem);
        Assert.Contains("not readable JSON", page.Find("[data-testid=dry-run-problems]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=dry-run-report]"));
    }

    [Fact]
    public void PolicyPage_ProposedRulesInvalid_ListsEveryFailureNamingItsKey()
    {
        AddAuthorization().SetAuthorized("root").SetRoles("admin");
        var page = Render<PolicyReview>();

        page.Find("textarea").Input("""{ "rules": [ { "id": "x", "tool": "no_such_tool", "effect": "maybe" }, { "tool": "read_file", "effect": "deny" } ] }""");
        page.Find("[data-testid=dry-run]").Click();

        var problems = page.FindAll("[data-testid=dry-run-problem]").Select(p => p.TextContent).ToList();
        Assert.Contains(problems, p => p.StartsWith("Policy:Rules:0:Effect", StringComparison.Ordinal) && p.Contains("maybe"));
        Assert.Contains(problems, p => p.StartsWith("Policy:Rules:0:Tool", StringComparison.Ordinal) && p.Contains("no_such_tool"));
        Assert.Contains(problems, p => p.StartsWith("Policy:Rules:1:Id", StringComparison.Ordinal));
        Assert.Contains("not valid", page.Find("[data-testid=dry-run-problems]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=dry-run-report]"));
    }

    [Fact]
    public async Task PolicyPage_DryRunExampleWithHostileArguments_RendersThemAsText()
    {
        AddAuthorization().SetAuthorized("root").SetRoles("admin");
        await InitializeDatabaseAsync();
        var audit = Services.GetRequiredService<IAuditWriter>();
        var runId = Guid.NewGuid().ToString();
        await audit.StartRunAsync(new Agent.Core.Auditing.RunRecord { Id = runId, Input = "x", Status = RunStatus.Running, Source = "api", CreatedAt = DateTimeOffset.UtcNow });
        await audit.RecordExecutionAsync(new ToolExecutionRecord
        {
            RequestId = runId,
            ToolName = "read_file",
            Input = System.Text.Json.JsonSerializer.Serialize(new { path = HostileText.Combined }),
            Status = "success",
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await HistoryHoldsAsync(1);
        var page = Render<PolicyReview>();

        page.Find("textarea").Input("""[ { "id": "no-reads", "tool": "read_file", "effect": "deny" } ]""");
        page.Find("[data-testid=dry-run]").Click();

        page.WaitForAssertion(() => Assert.Contains(HostileText.Script, page.Find("[data-testid=dry-run-example-input]").TextContent), TimeSpan.FromSeconds(10));
        Assert.Empty(page.FindAll(HostileText.InjectedElements));
    }

    /// <summary>The audit commits in batches (within milliseconds): wait until the dry-run's reader sees every seeded execution.</summary>
    private Task HistoryHoldsAsync(int executions) =>
        Eventually.UntilAsync(async () => (await Services.GetRequiredService<PastExecutions>().LatestAsync(100, CancellationToken.None)).Count == executions,
            TimeSpan.FromSeconds(10), $"{executions} executions committed to the audit");

    /// <summary>Runs an instruction through the real run manager (local planner) and waits for it to end.</summary>
    private async Task<string> RunAsync(string input)
    {
        var run = Services.GetRequiredService<RunManager>().Start(new RunRequest(input, "api", "automation", null)).Run!;
        await foreach (var _ in run.ReadEventsAsync(CancellationToken.None))
        {
        }
        return run.Id;
    }
}
