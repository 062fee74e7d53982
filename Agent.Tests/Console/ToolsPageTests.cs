using Agent.Tests.Infrastructure;
using Agent.Web.Components.Pages;
using Bunit;

namespace Agent.Tests.Console;

public sealed class ToolsPageTests() : ConsoleTestContext(new Dictionary<string, string?> { ["Agent:DisabledTools"] = "write_file" })
{
    [Fact]
    public void Tools_DefaultPolicy_ShowsEveryToolWithItsState()
    {
        var page = Render<ToolCatalog>();

        var states = page.FindAll("[data-testid=tool-card]").ToDictionary(
            c => c.GetAttribute("data-tool")!,
            c => c.QuerySelector("[data-testid=tool-state]")!.TextContent.Trim());
        Assert.Equal(["health_check", "http_get", "list_dir", "read_file", "run_command", "search_files", "write_file"], states.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("enabled", states["list_dir"]);
        Assert.Equal("blocked", states["http_get"]);
        Assert.Equal("blocked", states["run_command"]);
        Assert.Equal("disabled", states["write_file"]);
        Assert.Contains("requires blocked permission(s): network", page.Find("[data-tool=http_get]").TextContent);
        Assert.Contains("max_lines: ", page.Find("[data-tool=read_file]").TextContent);
        Assert.Contains("Sandbox: bubblewrap. bubblewrap at /usr/bin/bwrap", page.Find("[data-tool=run_command]").TextContent);
    }
}
