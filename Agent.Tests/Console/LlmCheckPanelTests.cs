using Agent.Core.Llm;
using Agent.Tests.Infrastructure;
using Agent.Web.Components.Llm;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agent.Tests.Console;

public sealed class LlmCheckPanelTests : ConsoleTestContext
{
    [Fact]
    public void Panel_BeforeAnyCheck_SaysSoAndOffersToRunIt()
    {
        var panel = Render<LlmCheckPanel>();

        Assert.Equal("Not run since the server started.", panel.Find("[data-testid=llm-check-result]").TextContent.Trim());
        Assert.Equal("Run check", panel.Find("[data-testid=llm-check-run]").TextContent.Trim());
    }

    [Fact]
    public void RunCheck_LocalPlannerCallsATool_ShowsThePassingLine()
    {
        var panel = Render<LlmCheckPanel>();

        panel.Find("[data-testid=llm-check-run]").Click();

        panel.WaitForAssertion(() => Assert.StartsWith("OK: local-planner answered in", panel.Find("[data-testid=llm-check-result]").TextContent.Trim()));
        Assert.Contains("against local (local-planner)", panel.Find("[data-testid=llm-check-at]").TextContent);
        // The result is kept for the next visit to the page.
        Assert.True(Services.GetRequiredService<LlmCheck>().Last!.Passed);
        Assert.StartsWith("OK:", Render<LlmCheckPanel>().Find("[data-testid=llm-check-result]").TextContent.Trim());
    }

    [Fact]
    public void RunCheck_ModelWithoutToolCall_ShowsWhatToFix()
    {
        Services.AddSingleton<IChatCompletionService>(new ScriptedChatService());
        var panel = Render<LlmCheckPanel>();

        panel.Find("[data-testid=llm-check-run]").Click();

        panel.WaitForAssertion(() => Assert.Contains(
            "answered without calling the tool: it may not support tool calling; set LLM_MODEL to a model with tool support.",
            panel.Find("[data-testid=llm-check-result]").TextContent));
        Assert.Contains("FAILED", panel.Find("[data-testid=llm-check-result]").TextContent);
    }
}
