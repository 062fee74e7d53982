using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Agent.Tests.Infrastructure;

/// <summary>A browser page signed in to the console of a running <see cref="AgentApplication"/>.</summary>
public static class ConsoleSession
{
    public static async Task<IPage> SignInAsync(BrowserFixture browser, Uri baseUrl, string key = AgentApplication.ApiKey, string path = "/")
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await page.GetByLabel("Operator key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("/signin"));
        await WaitForInteractiveAsync(page);
        return page;
    }

    /// <summary>Opens a console page and waits until it is interactive.</summary>
    public static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitForInteractiveAsync(page);
    }

    /// <summary>Typing before the circuit is up would be lost when the interactive render replaces the prerendered page.</summary>
    public static async Task WaitForInteractiveAsync(IPage page) =>
        await page.Locator("[data-interactive=true]").WaitForAsync();
}
