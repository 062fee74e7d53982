using Agent.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Agent.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ConsoleBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task Dashboard_InRealChromium_ShowsHealthyStatus()
    {
        await using var app = new AgentApplication();
        var baseUrl = app.StartOnRealPort();
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseUrl.ToString() });

        await page.GotoAsync("/");

        var status = page.GetByTestId("health-status");
        await Assertions.Expect(status).ToHaveTextAsync("healthy");
        await BrowserFixture.ScreenshotAsync(page, "dashboard");
    }
}
