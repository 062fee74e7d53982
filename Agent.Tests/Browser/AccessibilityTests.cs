using Agent.Tests.Infrastructure;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Agent.Tests.Browser;

/// <summary>axe-core scans of every console page, at desktop width and on a narrow window.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture browser)
{
    public static TheoryData<string, string> Pages => new()
    {
        { "/", "dashboard" },
        { "/run", "run" },
        { "/audit", "audit" },
        { "/tools", "tools" },
        { "/system", "system" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_AxeScan_HasNoSeriousOrCriticalViolations(string path, string name)
    {
        await using var app = new AgentApplication();
        var baseUrl = app.StartOnRealPort();
        await app.RunAsync("list the files and check your health");
        var page = await ConsoleSession.SignInAsync(browser, baseUrl, path: path);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var result = await page.RunAxe();

        await BrowserFixture.ScreenshotAsync(page, $"a11y-{name}");
        AssertNoSeriousViolations(result);
    }

    [Fact]
    public async Task RunDetailPage_AxeScan_HasNoSeriousOrCriticalViolations()
    {
        await using var app = new AgentApplication();
        var baseUrl = app.StartOnRealPort();
        var run = System.Text.Json.JsonDocument.Parse(await (await app.RunAsync("list the files and read missing.txt")).Content.ReadAsStringAsync());
        var id = run.RootElement.GetProperty("request_id").GetString();
        var page = await ConsoleSession.SignInAsync(browser, baseUrl, path: $"/runs/{id}");
        await Assertions.Expect(page.GetByTestId("execution").First).ToBeVisibleAsync();

        var result = await page.RunAxe();

        await BrowserFixture.ScreenshotAsync(page, "a11y-run-detail");
        AssertNoSeriousViolations(result);
    }

    [Fact]
    public async Task SignInPage_AxeScan_HasNoSeriousOrCriticalViolations()
    {
        await using var app = new AgentApplication();
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = app.StartOnRealPort().ToString() });
        await page.GotoAsync("/signin");

        var result = await page.RunAxe();

        await BrowserFixture.ScreenshotAsync(page, "a11y-signin");
        AssertNoSeriousViolations(result);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_NarrowWindow_HasNoHorizontalScroll(string path, string name)
    {
        await using var app = new AgentApplication();
        var page = await ConsoleSession.SignInAsync(browser, app.StartOnRealPort(), path: path);
        await page.SetViewportSizeAsync(390, 844);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");

        await BrowserFixture.ScreenshotAsync(page, $"narrow-{name}");
        Assert.True(overflow <= 1, $"{path} is {overflow}px wider than a 390px window");
    }

    private static void AssertNoSeriousViolations(AxeResult result)
    {
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }
}
