using Microsoft.Playwright;

namespace Agent.Tests.Browser;

/// <summary>Checks on the live DOM that hostile text stayed text.</summary>
public static class InjectedMarkup
{
    /// <summary>No element a payload would create exists, and no script or style element carries a payload's text.</summary>
    public static async Task AssertNoneAsync(IPage page, string where)
    {
        var injected = await page.EvaluateAsync<string[]>("""
            () => [
              ...document.querySelectorAll("img, svg[onload], [onerror], [onload]"),
              ...[...document.querySelectorAll("script, style")].filter(e => /alert\(|display:none\}/.test(e.textContent))
            ].map(e => e.outerHTML.slice(0, 120))
            """);
        Assert.True(injected.Length == 0, $"{where}: {string.Join(" | ", injected)}");
    }
}
