using System.Text.RegularExpressions;
using Agent.Tests.Auditing;
using Agent.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Agent.Tests.Browser;

[Trait("Category", "Browser")]
[Collection(BrowserCollection.Name)]
public sealed partial class ConsoleBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task Dashboard_Unauthenticated_RedirectsToSignInThenShowsHealth()
    {
        await using var app = new AgentApplication();
        var baseUrl = app.StartOnRealPort();

        var page = await ConsoleSession.SignInAsync(browser, baseUrl, path: "/");

        Assert.Equal(new Uri(baseUrl, "/").ToString(), page.Url);
        await Assertions.Expect(page.GetByTestId("health-status")).ToHaveTextAsync("healthy");
        await Assertions.Expect(page.GetByTestId("operator-name")).ToHaveTextAsync(AgentApplication.ApiKeyName);
        await BrowserFixture.ScreenshotAsync(page, "dashboard");
    }

    [Fact]
    public async Task SignIn_WrongKey_ShowsErrorAndStaysOnSignIn()
    {
        await using var app = new AgentApplication();
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = app.StartOnRealPort().ToString() });

        await page.GotoAsync("/run");
        Assert.Contains("/signin?ReturnUrl=%2Frun", page.Url);
        await page.GetByLabel("Operator key").FillAsync("not-the-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("signin-error")).ToHaveTextAsync("That operator key is not valid.");
        Assert.Contains("/signin", page.Url);
        await BrowserFixture.ScreenshotAsync(page, "signin-error");
        var events = await app.WaitForRowsAsync("SELECT reason, route, principal FROM security_events WHERE reason = 'console_sign_in_failed'", 1);
        Assert.Equal("/signin", Assert.Single(events)["route"]);
        Assert.Null(events[0]["principal"]);
    }

    [Fact]
    public async Task RunPage_SubmitListFiles_OpensTheRunsLivePageWhereTheStepCompletes()
    {
        await using var app = new AgentApplication();
        File.WriteAllText(Path.Combine(app.WorkspacePath, "notes.txt"), "hello");
        var page = await ConsoleSession.SignInAsync(browser, app.StartOnRealPort(), path: "/run");
        var loads = 0;
        page.Load += (_, _) => loads++;

        await page.Locator("#instruction").FillAsync("List the files in the workspace");
        // The button enables once the circuit holds the text, so the shortcut cannot race the value binding.
        await Assertions.Expect(page.GetByTestId("submit")).ToBeEnabledAsync();
        await page.Locator("#instruction").PressAsync("Control+Enter");

        await Assertions.Expect(page).ToHaveURLAsync(RunUrl());
        var step = page.GetByTestId("timeline-tool").Filter(new() { Has = page.GetByText("list_dir") });
        await Assertions.Expect(step).ToHaveAttributeAsync("data-status", "success");
        await Assertions.Expect(page.GetByTestId("run-output")).ToContainTextAsync("notes.txt");
        // Client-side navigation over the circuit: the page never reloaded.
        Assert.Equal(0, loads);
        await Assertions.Expect(page.GetByTestId("rerun")).ToBeEnabledAsync();
        await BrowserFixture.ScreenshotAsync(page, "run");
        var row = Assert.Single(await app.QueryAsync("SELECT source, principal, status FROM requests"));
        Assert.Equal("console", row["source"]);
        Assert.Equal(AgentApplication.ApiKeyName, row["principal"]);
    }

    [Fact]
    public async Task SignOut_RedirectsToSignIn_AndPagesRequireSignInAgain()
    {
        await using var app = new AgentApplication();
        var page = await ConsoleSession.SignInAsync(browser, app.StartOnRealPort(), path: "/tools");
        await Assertions.Expect(page.GetByTestId("tool-card").First).ToBeVisibleAsync();

        await page.GetByTestId("sign-out").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(SignInUrl());
        await page.GotoAsync("/system");
        Assert.Matches(SignInUrl(), page.Url);
    }

    [Fact]
    public async Task AuditPage_FilterByTool_ThenOpenRunDetail()
    {
        await using var app = new AgentApplication();
        File.WriteAllText(Path.Combine(app.WorkspacePath, "notes.txt"), "hello");
        var baseUrl = app.StartOnRealPort();
        await app.RunAsync("List the files in the workspace");
        await app.RunAsync("read notes.txt");
        await app.RunAsync("check your health");
        var page = await ConsoleSession.SignInAsync(browser, baseUrl, path: "/audit");
        var rows = page.GetByTestId("audit-grid").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(page.GetByTestId("chain-status")).ToHaveTextAsync("chain verified");

        await page.GetByTestId("filter-tool").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "read_file" }).ClickAsync();

        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("read notes.txt");
        await BrowserFixture.ScreenshotAsync(page, "audit-filtered");
        await rows.First.GetByRole(AriaRole.Link).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(RunUrl());
        var execution = page.GetByTestId("timeline-tool");
        await Assertions.Expect(execution).ToHaveAttributeAsync("data-tool", "read_file");
        await Assertions.Expect(execution).ToHaveAttributeAsync("data-status", "success");
        await Assertions.Expect(page.GetByTestId("run-input")).ToHaveTextAsync("read notes.txt");
        await Assertions.Expect(page.GetByTestId("run-output")).ToContainTextAsync("hello");
        await BrowserFixture.ScreenshotAsync(page, "run-detail");
    }

    [GeneratedRegex("/runs/[0-9a-f-]{36}$")]
    private static partial Regex RunUrl();

    [GeneratedRegex("/signin")]
    private static partial Regex SignInUrl();
}
