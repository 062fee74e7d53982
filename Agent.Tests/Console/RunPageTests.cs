using Agent.Tests.Infrastructure;
using Agent.Web.Components.Pages;
using Bunit;

namespace Agent.Tests.Console;

public sealed class RunPageTests : ConsoleTestContext
{
    [Fact]
    public async Task Run_SubmitInstruction_TimelineFillsAndFinalOutputShows()
    {
        AddAuthorization().SetAuthorized("operator-one");
        await InitializeDatabaseAsync();
        Directory.CreateDirectory(WorkspacePath);
        File.WriteAllText(Path.Combine(WorkspacePath, "notes.txt"), "hello");
        var page = Render<Run>();

        page.Find("textarea").Input("List the files in the workspace");
        page.Find("[data-testid=submit]").Click();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("success", page.Find("[data-testid=timeline-tool]").GetAttribute("data-status"));
            Assert.Contains("notes.txt", page.Find("[data-testid=run-output]").TextContent);
        }, TimeSpan.FromSeconds(10));
        Assert.Contains("list_dir", page.Find("[data-testid=timeline-tool]").TextContent);
    }

    [Fact]
    public void Run_EmptyInstruction_CannotSubmit()
    {
        AddAuthorization().SetAuthorized("operator-one");
        var page = Render<Run>();

        Assert.True(page.Find("[data-testid=submit]").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid=cancel]").HasAttribute("disabled"));
    }
}
