using System.Diagnostics;
using Agent.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Agent.Tests.Browser;

/// <summary>
/// An operator's open console must not hold the server's shutdown: without the live-channel gate, the circuit's
/// reconnect during the drain kept the host stopping for the whole 30 s shutdown timeout.
/// </summary>
[Trait("Category", "Browser")]
[Collection(BrowserCollection.Name)]
public sealed class ShutdownBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task Stop_WithTheConsoleOpen_EndsWellBeforeTheShutdownTimeout()
    {
        var app = new AgentApplication();
        var page = await ConsoleSession.SignInAsync(browser, app.StartOnRealPort(), path: "/");
        await Assertions.Expect(page.GetByTestId("health-status")).ToHaveTextAsync("healthy");

        var stopping = Stopwatch.StartNew();
        await app.DisposeAsync();
        stopping.Stop();

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopping.Elapsed.TotalSeconds:0.0} s");
        await page.Context.CloseAsync();
    }
}
