using Agent.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Agent.Tests.Browser;

[Trait("Category", "Browser")]
[Collection(BrowserCollection.Name)]
public sealed class ApiDocsBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task SwaggerUi_InRealChromium_ListsTheOperations()
    {
        await using var app = new AgentApplication();
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = app.StartOnRealPort().ToString() });
        var errors = CollectConsoleErrors(page);

        await page.GotoAsync("/docs");

        await Assertions.Expect(page.Locator(".opblock-summary-path").Filter(new() { HasText = "/agent/run" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".info .title")).ToContainTextAsync("Autonomous Agent API");
        await BrowserFixture.ScreenshotAsync(page, "docs-swagger-ui");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task ReDoc_InRealChromium_RendersTheDocument()
    {
        await using var app = new AgentApplication();
        var baseUrl = app.StartOnRealPort();
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseUrl.ToString() });
        var errors = CollectConsoleErrors(page);
        var outside = new List<string>();
        page.Request += (_, request) =>
        {
            if (Uri.TryCreate(request.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Authority != baseUrl.Authority)
            {
                outside.Add(request.Url);
            }
        };
        // Every content-security-policy violation, whether or not the page caught the error it raised.
        await page.AddInitScriptAsync("window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));");

        await page.GotoAsync("/redoc");

        await Assertions.Expect(page.Locator("h1").Filter(new() { HasText = "Autonomous Agent API" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "docs-redoc");
        await Assertions.Expect(page.GetByText("/agent/runs/{id}/events").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "docs-redoc");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Empty(await page.EvaluateAsync<string[]>("window.__csp"));
        Assert.Empty(outside);
    }

    /// <summary>Script errors and content-security-policy violations (a blocked third-party logo included) show up as console errors.</summary>
    private static List<string> CollectConsoleErrors(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{message.Text} @ {message.Location}");
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return errors;
    }
}
