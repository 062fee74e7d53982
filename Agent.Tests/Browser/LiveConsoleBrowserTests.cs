using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agent.Tests.Browser;

/// <summary>Runs started anywhere are live in the console; audit views are links; hostile text stays text.</summary>
[Trait("Category", "Browser")]
[Collection(BrowserCollection.Name)]
public sealed partial class LiveConsoleBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task ApiStartedRun_AppearsLiveOnDashboardAndAudit_WatchedOnItsPageAndCancelledThere()
    {
        var tool = new BlockingTool();
        await using var app = new AgentApplication
        {
            ConfigureServices = services =>
            {
                services.AddSingleton<IAgentTool>(tool);
                services.AddSingleton<IChatCompletionService>(new ScriptedChatService([(BlockingTool.ToolName, new KernelArguments())]));
            },
        };
        var baseUrl = app.StartOnRealPort();
        var dashboard = await ConsoleSession.SignInAsync(browser, baseUrl, path: "/");
        var audit = await dashboard.Context.NewPageAsync();
        await ConsoleSession.OpenAsync(audit, "/audit");
        await Assertions.Expect(audit.GetByTestId("audit-grid")).ToContainTextAsync("No runs match");

        var client = app.CreateAuthenticatedClient();
        var accepted = await client.PostAsJsonAsync("/agent/runs", new { input = "wait for the blocking tool" });
        var id = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString()!;
        await tool.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // Both pages were open before the run started and show it without a reload.
        var auditRow = audit.GetByTestId("audit-grid").Locator("tbody tr").Filter(new() { HasText = "wait for the blocking tool" });
        await Assertions.Expect(auditRow).ToHaveCountAsync(1);
        var dashboardRow = dashboard.GetByTestId("latest-runs").Locator("tbody tr").Filter(new() { HasText = "wait for the blocking tool" });
        await Assertions.Expect(dashboardRow).ToContainTextAsync("running");
        await dashboardRow.GetByRole(AriaRole.Link).ClickAsync();

        await Assertions.Expect(dashboard).ToHaveURLAsync(new Regex($"/runs/{id}$"));
        var step = dashboard.GetByTestId("timeline-tool");
        await Assertions.Expect(step).ToHaveAttributeAsync("data-state", "running");
        await Assertions.Expect(dashboard.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "running");
        var elapsed = await dashboard.GetByTestId("elapsed").TextContentAsync();
        await Assertions.Expect(dashboard.GetByTestId("elapsed")).Not.ToHaveTextAsync(elapsed!);
        await BrowserFixture.ScreenshotAsync(dashboard, "run-live");

        await dashboard.GetByTestId("cancel").ClickAsync();

        await Assertions.Expect(dashboard.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "cancelled");
        await Assertions.Expect(dashboard.GetByTestId("cancel")).ToHaveCountAsync(0);
        await Assertions.Expect(dashboard.GetByTestId("rerun")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(dashboard, "run-cancelled");
        var status = JsonDocument.Parse(await client.GetStringAsync($"/agent/runs/{id}")).RootElement;
        Assert.Equal("error", status.GetProperty("status").GetString());
        var row = Assert.Single(await app.QueryAsync($"SELECT status, error FROM requests WHERE id = '{id}'"));
        Assert.Equal("error", row["status"]);
        Assert.StartsWith("Run cancelled", (string)row["error"]!);
    }

    [Fact]
    public async Task AuditFilters_ChosenInThePage_AreInTheUrlAndSurviveAReload()
    {
        await using var app = new AgentApplication();
        File.WriteAllText(Path.Combine(app.WorkspacePath, "notes.txt"), "hello");
        var baseUrl = app.StartOnRealPort();
        await app.RunAsync("List the files in the workspace");
        await app.RunAsync("read notes.txt");
        await app.RunAsync("read missing.txt");
        var page = await ConsoleSession.SignInAsync(browser, baseUrl, path: "/audit");
        var rows = page.GetByTestId("audit-grid").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(3);

        await page.GetByTestId("filter-tool").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "read_file" }).ClickAsync();
        await page.GetByTestId("filter-status").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "tool_error" }).ClickAsync();
        await page.GetByTestId("filter-range").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Last 24 hours" }).ClickAsync();

        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("read missing.txt");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/audit\?status=tool_error&tool_name=read_file&range=24h$"));

        await page.ReloadAsync();
        await ConsoleSession.WaitForInteractiveAsync(page);
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("read missing.txt");
        await Assertions.Expect(page.GetByTestId("filter-tool")).ToContainTextAsync("read_file");

        // The same link in a fresh tab shows the same view.
        var shared = await page.Context.NewPageAsync();
        await ConsoleSession.OpenAsync(shared, "/audit?tool_name=read_file&page_size=10");
        await Assertions.Expect(shared.GetByTestId("audit-grid").Locator("tbody tr")).ToHaveCountAsync(2);
        await BrowserFixture.ScreenshotAsync(shared, "audit-linked");
    }

    [Fact]
    public async Task HostileToolNamesAndOutputs_RenderAsTextOnDashboardRunPageAuditAndRunDetail()
    {
        await using var app = new AgentApplication
        {
            ConfigureServices = services =>
            {
                services.AddSingleton<IAgentTool>(new EchoTool());
                services.AddSingleton<IChatCompletionService>(new HostileChatService());
            },
        };
        var baseUrl = app.StartOnRealPort();
        var run = JsonDocument.Parse(await (await app.RunAsync("Instruction " + HostileText.Combined)).Content.ReadAsStringAsync()).RootElement;
        var id = run.GetProperty("request_id").GetString();
        // Stored as sent: the audit shows exactly what the model asked for.
        Assert.Contains(await app.QueryAsync("SELECT tool_name, status FROM tool_executions"), r => (string)r["tool_name"]! == HostileText.Img && (string)r["status"]! == "unknown_tool");
        var page = await ConsoleSession.SignInAsync(browser, baseUrl, path: "/");
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };

        await Assertions.Expect(page.GetByTestId("latency-table")).ToContainTextAsync(HostileText.Img);
        await Assertions.Expect(page.GetByTestId("latest-runs")).ToContainTextAsync(HostileText.Script);
        await InjectedMarkup.AssertNoneAsync(page, "dashboard");

        await ConsoleSession.OpenAsync(page, $"/runs/{id}");
        await page.GetByTestId("expand-all").ClickAsync();
        await Assertions.Expect(page.GetByTestId("timeline-tool").First).ToHaveAttributeAsync("data-tool", HostileText.Img);
        await Assertions.Expect(page.GetByTestId("reasoning").First).ToContainTextAsync(HostileText.Style);
        await Assertions.Expect(page.GetByTestId("run-input")).ToContainTextAsync(HostileText.Svg);
        await Assertions.Expect(page.GetByTestId("run-output")).ToContainTextAsync(HostileText.Script);
        await InjectedMarkup.AssertNoneAsync(page, "run detail");
        await BrowserFixture.ScreenshotAsync(page, "hostile-run-detail");

        await ConsoleSession.OpenAsync(page, "/audit");
        await Assertions.Expect(page.GetByTestId("audit-grid")).ToContainTextAsync(HostileText.Img);
        await InjectedMarkup.AssertNoneAsync(page, "audit");

        await ConsoleSession.OpenAsync(page, "/run");
        await page.Locator("#instruction").FillAsync("Again " + HostileText.Combined);
        // The button enables once the circuit holds the text, so the shortcut cannot race the value binding.
        await Assertions.Expect(page.GetByTestId("submit")).ToBeEnabledAsync();
        await page.Locator("#instruction").PressAsync("Control+Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/runs/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "tool_error");
        await page.GetByTestId("expand-all").ClickAsync();
        await Assertions.Expect(page.GetByTestId("json-string").Filter(new() { HasText = HostileText.Svg }).First).ToBeVisibleAsync();
        await InjectedMarkup.AssertNoneAsync(page, "run page");
        await BrowserFixture.ScreenshotAsync(page, "hostile-run");

        Assert.Empty(dialogs);
    }
}
