using Agent.Core.Runs;
using Agent.Tests.Infrastructure;
using Agent.Web.Components.Pages;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agent.Tests.Console;

public sealed class HomePageTests : ConsoleTestContext
{
    [Fact]
    public async Task Home_HealthyWithOneRun_ShowsHealthAndLatestRun()
    {
        Services.AddSingleton<HealthCheckService>(new FixedHealthCheckService(HealthStatus.Healthy));
        await InitializeDatabaseAsync();
        var runner = Services.GetRequiredService<AgentRunner>();
        await runner.RunAsync(new RunRequest("List the files in the workspace", "api", "tests", null), CancellationToken.None);

        var page = Render<Home>();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("healthy", page.Find("[data-testid=health-status]").TextContent.Trim());
            Assert.Contains("List the files in the workspace", page.Find("[data-testid=latest-runs]").TextContent);
            Assert.Contains("success", page.Find("[data-testid=latest-runs]").TextContent);
        });
    }

    [Fact]
    public async Task Home_Unhealthy_ShowsUnhealthyStatus()
    {
        Services.AddSingleton<HealthCheckService>(new FixedHealthCheckService(HealthStatus.Unhealthy));
        await InitializeDatabaseAsync();

        var page = Render<Home>();

        page.WaitForAssertion(() => Assert.Equal("unhealthy", page.Find("[data-testid=health-status]").TextContent.Trim()));
        Assert.Contains("No runs yet", page.Markup);
    }
}
