using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agent.Core.Policy;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agent.Tests.Browser;

/// <summary>
/// A run held by an <c>ask</c> rule, answered in a real browser: the app bar's badge, the inbox, the run page's trace,
/// the grants page and the policy page, with hostile text kept as text throughout.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ApprovalBrowserTests(BrowserFixture browser)
{
    private const string RunnerKey = "runner-key-0123456789abcdef";

    private static AgentApplication App(string tool = "write_file", string reason = "writes need a look", Action<IServiceCollection>? services = null) =>
        new(new Dictionary<string, string?>
        {
            ["Policy:Rules:0:Id"] = "ask-writes",
            ["Policy:Rules:0:Tool"] = tool,
            ["Policy:Rules:0:Effect"] = "ask",
            ["Policy:Rules:0:Reason"] = reason,
            ["Agent:ApiKeys:runner"] = RunnerKey,
            ["Agent:KeyRoles:runner"] = "runner",
            ["Agent:KeyRoles:" + AgentApplication.ApiKeyName] = "admin",
        })
        { ConfigureServices = services };

    [Fact]
    public async Task AskRule_OperatorSeesTheBadgeApprovesInTheInbox_TraceShowsTheApprovedStepAndTheRunSucceeds()
    {
        await using var app = App();
        var baseUrl = app.StartOnRealPort();
        var dashboard = await ConsoleSession.SignInAsync(browser, baseUrl, path: "/");
        var badge = dashboard.GetByTestId("approvals-badge");
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-count", "0");

        var runId = await StartRunAsync(app, "write 'hello' to notes.txt");

        // The page was open before the run asked, and counts the request without a reload.
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-count", "1");
        await Assertions.Expect(dashboard.GetByTestId("latest-runs").Locator("tbody tr").Filter(new() { HasText = "write 'hello'" })).ToContainTextAsync("awaiting_approval");
        // The run's own page, open in another tab, follows the run live while the inbox answers it.
        var runPage = await dashboard.Context.NewPageAsync();
        await ConsoleSession.OpenAsync(runPage, $"/runs/{runId}");
        await Assertions.Expect(runPage.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "awaiting_approval");
        await Assertions.Expect(runPage.GetByTestId("timeline-tool")).ToHaveAttributeAsync("data-state", "waiting");
        await Assertions.Expect(runPage.GetByTestId("approval-rule")).ToHaveTextAsync("ask-writes");
        await Assertions.Expect(runPage.GetByTestId("approval-reason")).ToHaveTextAsync("writes need a look");
        await Assertions.Expect(runPage.GetByTestId("approval-request").GetByTestId("json-string").Filter(new() { HasText = "notes.txt" })).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(runPage, "approval-run-waiting");

        await dashboard.GetByTestId("approvals-link").ClickAsync();
        await Assertions.Expect(dashboard).ToHaveURLAsync(new Regex("/inbox$"));
        var card = dashboard.GetByTestId("pending-approval");
        await Assertions.Expect(card).ToContainTextAsync("write_file");
        await Assertions.Expect(card).ToContainTextAsync("ask-writes");
        await Assertions.Expect(card.GetByTestId("json-string").Filter(new() { HasText = "notes.txt" })).ToHaveCountAsync(1);
        await card.GetByTestId("approval-scope").ClickAsync();
        await dashboard.GetByRole(AriaRole.Option, new() { Name = "This run" }).ClickAsync();
        await card.GetByLabel("Comment").FillAsync("looks fine");
        await BrowserFixture.ScreenshotAsync(dashboard, "approval-inbox");
        await card.GetByTestId("approve").ClickAsync();

        await Assertions.Expect(dashboard.GetByTestId("pending-count")).ToHaveTextAsync("0");
        await Assertions.Expect(dashboard.GetByTestId("decided-status").First).ToHaveTextAsync("approved");
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-count", "0");

        await Assertions.Expect(runPage.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "success");
        var step = runPage.GetByTestId("timeline-tool");
        await Assertions.Expect(step).ToHaveAttributeAsync("data-status", "success");
        await Assertions.Expect(step.GetByTestId("tool-policy")).ToContainTextAsync($"approved by {AgentApplication.ApiKeyName}");
        await Assertions.Expect(step.GetByTestId("tool-policy")).ToContainTextAsync("scope run");
        await Assertions.Expect(step.GetByTestId("policy-comment")).ToHaveTextAsync("“looks fine”");
        await Assertions.Expect(runPage.GetByTestId("run-policy-approval")).ToContainTextAsync($"approved by {AgentApplication.ApiKeyName}");
        await BrowserFixture.ScreenshotAsync(runPage, "approval-run-approved");
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(app.WorkspacePath, "notes.txt")));
        var status = JsonDocument.Parse(await app.CreateAuthenticatedClient().GetStringAsync($"/agent/runs/{runId}")).RootElement;
        Assert.Equal("success", status.GetProperty("status").GetString());

        // The run-scoped approval became a grant, listed (and revocable) on the grants page.
        await ConsoleSession.OpenAsync(dashboard, "/access-grants");
        var grant = dashboard.GetByTestId("grant");
        await Assertions.Expect(grant).ToContainTextAsync(runId);
        await grant.GetByTestId("revoke").ClickAsync();
        // Only grants in force are listed by default: the revoked one leaves the list.
        await Assertions.Expect(grant).ToHaveCountAsync(0);
        var revoked = Assert.Single(await app.Services.GetRequiredService<IApprovalStore>().ListGrantsAsync(includeInactive: true, DateTimeOffset.UtcNow, 10));
        Assert.Equal((runId, AgentApplication.ApiKeyName), (revoked.RequestId, revoked.RevokedBy));
    }

    [Fact]
    public async Task AskRule_DeniedOnTheRunPage_StepEndsBlockedWithTheReasonAndNothingIsWritten()
    {
        await using var app = App();
        var baseUrl = app.StartOnRealPort();
        var runId = await StartRunAsync(app, "write 'hello' to notes.txt");
        var page = await ConsoleSession.SignInAsync(browser, baseUrl, path: $"/runs/{runId}");
        await Assertions.Expect(page.GetByTestId("timeline-tool")).ToHaveAttributeAsync("data-state", "waiting");

        await page.GetByTestId("approval-request").GetByLabel("Comment").FillAsync("not today");
        await page.GetByTestId("deny").ClickAsync();

        var step = page.GetByTestId("timeline-tool");
        await Assertions.Expect(step).ToHaveAttributeAsync("data-status", "blocked");
        await Assertions.Expect(step.GetByTestId("tool-error")).ToContainTextAsync("not today");
        await Assertions.Expect(step.GetByTestId("policy-approval")).ToHaveAttributeAsync("data-status", "denied");
        await Assertions.Expect(page.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "tool_error");
        await Assertions.Expect(page.GetByTestId("approvals-badge")).ToHaveAttributeAsync("data-count", "0");
        await BrowserFixture.ScreenshotAsync(page, "approval-run-denied");
        Assert.False(File.Exists(Path.Combine(app.WorkspacePath, "notes.txt")));

        // "g" then "i" opens the inbox, where the answer is listed with its comment.
        await page.Locator("h1").ClickAsync();
        await page.Keyboard.PressAsync("g");
        await page.Keyboard.PressAsync("i");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/inbox$"));
        await Assertions.Expect(page.GetByTestId("decided-status").First).ToHaveTextAsync("denied");
        await Assertions.Expect(page.GetByTestId("decided-approval").First).ToContainTextAsync("not today");
    }

    [Fact]
    public async Task HostileArgumentsReasonAndComment_RenderAsTextInInboxRunPageGrantsAndPolicy()
    {
        await using var app = App(EchoTool.ToolName, "look " + HostileText.Combined, services =>
        {
            services.AddSingleton<IAgentTool>(new EchoTool());
            services.AddSingleton<IChatCompletionService>(new ScriptedChatService([(EchoTool.ToolName, new KernelArguments { ["text"] = HostileText.Combined })]));
        });
        var baseUrl = app.StartOnRealPort();
        var runId = await StartRunAsync(app, "echo something");
        var page = await ConsoleSession.SignInAsync(browser, baseUrl, path: "/inbox");
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };

        var card = page.GetByTestId("pending-approval");
        await Assertions.Expect(card).ToContainTextAsync(HostileText.Script);
        await Assertions.Expect(card.GetByTestId("json-string").Filter(new() { HasText = HostileText.Img }).First).ToBeVisibleAsync();
        await InjectedMarkup.AssertNoneAsync(page, "inbox, waiting");

        await ConsoleSession.OpenAsync(page, $"/runs/{runId}");
        await Assertions.Expect(page.GetByTestId("approval-reason")).ToContainTextAsync(HostileText.Svg);
        await InjectedMarkup.AssertNoneAsync(page, "run page, waiting");
        await page.GetByTestId("approval-scope").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "This run" }).ClickAsync();
        await page.GetByTestId("approval-request").GetByLabel("Comment").FillAsync(HostileText.Combined);
        await page.GetByTestId("approve").ClickAsync();
        await Assertions.Expect(page.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "success");
        await page.GetByTestId("expand-all").ClickAsync();
        await Assertions.Expect(page.GetByTestId("policy-comment")).ToContainTextAsync(HostileText.Style);
        await InjectedMarkup.AssertNoneAsync(page, "run page, approved");
        await BrowserFixture.ScreenshotAsync(page, "approval-hostile-run");

        await ConsoleSession.OpenAsync(page, "/inbox");
        await Assertions.Expect(page.GetByTestId("decided-approval")).ToContainTextAsync(HostileText.Img);
        await InjectedMarkup.AssertNoneAsync(page, "inbox, decided");

        await ConsoleSession.OpenAsync(page, "/access-grants");
        await Assertions.Expect(page.GetByTestId("grant")).ToContainTextAsync(EchoTool.ToolName);
        await InjectedMarkup.AssertNoneAsync(page, "grants");

        await ConsoleSession.OpenAsync(page, "/policy");
        await Assertions.Expect(page.GetByTestId("policy-rule")).ToContainTextAsync(HostileText.Script);
        await page.Locator("#proposed-policy").FillAsync($$"""[{ "id": "deny-echo", "tool": "{{EchoTool.ToolName}}", "effect": "deny" }]""");
        await page.GetByTestId("dry-run").ClickAsync();
        await Assertions.Expect(page.GetByTestId("dry-run-example-input")).ToContainTextAsync(HostileText.Svg);
        await Assertions.Expect(page.GetByTestId("dry-run-example-link")).ToHaveAttributeAsync("href", $"/runs/{runId}");
        await InjectedMarkup.AssertNoneAsync(page, "policy dry-run");
        await BrowserFixture.ScreenshotAsync(page, "approval-hostile-policy");

        Assert.Empty(dialogs);
    }

    /// <summary>Starts a background run with the runner key and waits until it asks; returns its id.</summary>
    private static async Task<string> StartRunAsync(AgentApplication app, string input)
    {
        var runner = app.CreateClient();
        runner.DefaultRequestHeaders.Add("X-API-Key", RunnerKey);
        var started = await runner.PostAsJsonAsync("/agent/runs", new { input });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("request_id").GetString()!;
        var admin = app.CreateAuthenticatedClient();
        await Eventually.UntilAsync(async () => JsonDocument.Parse(await admin.GetStringAsync("/approvals?status=pending")).RootElement.EnumerateArray()
            .Any(a => a.GetProperty("request_id").GetString() == runId), TimeSpan.FromSeconds(20), $"run {runId} asks for approval");
        return runId;
    }
}
