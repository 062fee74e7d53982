using Agent.Tests.Infrastructure;
using Agent.Web.Components.Pages;
using Agent.Web.Security;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agent.Tests.Console;

public sealed class SystemPageTests() : ConsoleTestContext(new Dictionary<string, string?>
{
    ["Agent:ApiKeys:ops"] = SecretKey,
    ["Llm:RequestTimeout"] = "45",
})
{
    private const string SecretKey = "system-page-secret-key-0123456789";

    [Fact]
    public async Task System_ShowsProviderLimitsAndCounts_NeverAKey()
    {
        Services.AddSingleton<HealthCheckService>(new FixedHealthCheckService(HealthStatus.Healthy));
        Services.AddSingleton<ApiKeyStore>();
        await InitializeDatabaseAsync();

        var page = Render<SystemStatus>();

        page.WaitForAssertion(() => Assert.Equal("local", page.Find("[data-testid=system-provider]").TextContent.Trim()));
        Assert.Equal("0", page.Find("[data-testid=count-requests]").TextContent.Trim());
        Assert.Contains("45 s", page.Find("[data-testid=system-limits]").TextContent);
        Assert.Contains("SANDBOX", page.Find("[data-testid=system-limits]").TextContent);
        Assert.Contains("bubblewrap: bubblewrap at /usr/bin/bwrap", page.Find("[data-testid=system-limits]").TextContent);
        Assert.Contains("ops", page.Find("[data-testid=system-service]").TextContent);
        Assert.DoesNotContain(SecretKey, page.Markup);
    }
}
