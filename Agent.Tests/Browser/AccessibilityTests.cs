using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agent.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Agent.Tests.Browser;

/// <summary>
/// Every page, signed in, in light and in dark mode: no request leaves the server's origin, no console error and no
/// content-security-policy violation, axe-core finds nothing serious or critical, and a 390 px phone window has no
/// horizontal scroll. Screenshots of each page at both widths go to the test artifacts.
/// </summary>
[Trait("Category", "Browser")]
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture browser)
{
    /// <summary>Each violation is also kept on the page, so one missed console line cannot hide it.</summary>
    private const string CspRecorder = """
        window.__cspViolations = [];
        document.addEventListener("securitypolicyviolation", e => window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline")));
        """;

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task EveryPage_LightOrDark_NoThirdPartyRequestNoErrorAxeCleanAndFitsAPhone(string theme)
    {
        // Writes ask a person: one approved for its run (a grant on the grants page), one still waiting (inbox, run page).
        await using var app = new AgentApplication(new Dictionary<string, string?>
        {
            ["Policy:Rules:0:Id"] = "ask-writes",
            ["Policy:Rules:0:Tool"] = "write_file",
            ["Policy:Rules:0:Effect"] = "ask",
            ["Policy:Rules:0:Reason"] = "writes need a look",
        });
        var baseUrl = app.StartOnRealPort();
        File.WriteAllText(Path.Combine(app.WorkspacePath, "notes.txt"), "line one\nline two");
        var run = JsonDocument.Parse(await (await app.RunAsync("list the files and read notes.txt and read missing.txt")).Content.ReadAsStringAsync());
        var runId = run.RootElement.GetProperty("request_id").GetString();
        var api = app.CreateAuthenticatedClient();
        var (_, approved) = await StartWaitingRunAsync(api, "write 'a' to a.txt");
        (await api.PostAsJsonAsync($"/approvals/{approved}/approve", new { scope = "run", comment = "once is fine" })).EnsureSuccessStatusCode();
        var (waitingRunId, waiting) = await StartWaitingRunAsync(api, "write 'b' to b.txt");
        var dark = theme == "dark";
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            ColorScheme = dark ? ColorScheme.Dark : ColorScheme.Light,
        });
        await context.AddInitScriptAsync(CspRecorder + $"localStorage.setItem('agent-console-dark-mode', '{(dark ? "true" : "false")}');");
        var problems = new List<string>();
        var current = "";
        context.Request += (_, request) =>
        {
            if (request.Url.StartsWith("http", StringComparison.Ordinal) && new Uri(request.Url).Authority != baseUrl.Authority)
            {
                problems.Add($"{current}: third-party request {request.Url}");
            }
        };
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add($"{current}: console error {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"{current}: page error {error}");

        current = "/signin";
        await page.GotoAsync("/signin");
        await CheckAsync(page, "signin", theme, problems);
        await page.GetByLabel("Operator key").FillAsync(AgentApplication.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("/signin"));

        foreach (var (path, name) in new[]
        {
            ("/", "dashboard"), ("/run", "run"), ("/audit", "audit"), ($"/runs/{runId}", "run-detail"), ($"/runs/{waitingRunId}", "run-waiting"),
            ("/inbox", "inbox"), ("/access-grants", "grants"), ("/policy", "policy"), ("/tools", "tools"), ("/system", "system"),
        })
        {
            current = path;
            await page.SetViewportSizeAsync(1280, 900);
            await ConsoleSession.OpenAsync(page, path);
            if (name == "run-detail")
            {
                // Expanded, so the JSON trees are scanned and measured too.
                await page.GetByTestId("expand-all").ClickAsync();
            }
            if (name == "policy")
            {
                // With a report on the page: per-rule counts, transitions and example links.
                await page.Locator("#proposed-policy").FillAsync("""[{ "id": "no-reads", "tool": "read_file", "effect": "deny", "reason": "audit" }]""");
                await page.GetByTestId("dry-run").ClickAsync();
                await Assertions.Expect(page.GetByTestId("dry-run-example").First).ToBeVisibleAsync();
            }
            // The page really is in the theme under test: the primary colour differs between the two palettes.
            await Assertions.Expect(page.Locator("html")).ToHaveCSSAsync("--mud-palette-primary", dark ? "rgba(159,168,218,1)" : "rgba(57,73,171,1)");
            await CheckAsync(page, name, theme, problems);
        }

        foreach (var (path, name) in new[] { ("/docs", "docs-swagger-ui"), ("/redoc", "docs-redoc") })
        {
            current = path;
            await page.SetViewportSizeAsync(1280, 900);
            await page.GotoAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await RecordCspAsync(page, path, problems);
            await BrowserFixture.ScreenshotAsync(page, $"{name}-{theme}");
        }

        (await api.PostAsJsonAsync($"/approvals/{waiting}/deny", new { comment = "sweep done" })).EnsureSuccessStatusCode();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Starts a background run whose write asks, and returns the run and approval ids once it waits.</summary>
    private static async Task<(string RunId, string ApprovalId)> StartWaitingRunAsync(HttpClient api, string input)
    {
        var started = await api.PostAsJsonAsync("/agent/runs", new { input });
        var runId = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString()!;
        var pending = await Eventually.UntilAsync(
            async () => JsonDocument.Parse(await api.GetStringAsync("/approvals?status=pending")).RootElement.EnumerateArray()
                .FirstOrDefault(a => a.GetProperty("request_id").GetString() == runId),
            a => a.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(20), $"the run of '{input}' asks for approval");
        return (runId, pending.GetProperty("id").GetString()!);
    }

    private static async Task CheckAsync(IPage page, string name, string theme, List<string> problems)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        foreach (var violation in (await page.RunAxe()).Violations.Where(v => v.Impact is "serious" or "critical"))
        {
            problems.Add($"{name} ({theme}): axe {violation.Id} ({violation.Impact}): {violation.Help} — {string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Html))}");
        }
        await BrowserFixture.ScreenshotAsync(page, $"{name}-{theme}");

        await page.SetViewportSizeAsync(390, 844);
        await page.WaitForTimeoutAsync(300);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        if (overflow > 1)
        {
            problems.Add($"{name} ({theme}): {overflow}px wider than a 390px window");
        }
        await BrowserFixture.ScreenshotAsync(page, $"{name}-{theme}-390");
        await page.SetViewportSizeAsync(1280, 900);
        await RecordCspAsync(page, name, problems);
    }

    private static async Task RecordCspAsync(IPage page, string name, List<string> problems)
    {
        foreach (var violation in await page.EvaluateAsync<string[]>("() => window.__cspViolations || []"))
        {
            problems.Add($"{name}: CSP violation {violation}");
        }
    }
}
