using Agent.Tests.Infrastructure;
using Agent.Web.Components.Shared;
using Bunit;

namespace Agent.Tests.Console;

public sealed class StatusChipTests : ConsoleTestContext
{
    [Theory]
    [InlineData("success", "success")]
    [InlineData("running", "info")]
    [InlineData("tool_error", "warning")]
    [InlineData("timeout", "warning")]
    [InlineData("invalid_input", "warning")]
    [InlineData("blocked", "secondary")]
    [InlineData("unknown_tool", "secondary")]
    [InlineData("error", "error")]
    public void StatusChip_EachStatus_HasItsColour(string status, string colour)
    {
        var chip = Render<StatusChip>(p => p.Add(c => c.Status, status));

        var element = chip.Find(".status-chip");
        Assert.Equal(status, element.TextContent.Trim());
        Assert.Contains($"mud-chip-color-{colour}", element.ClassName);
    }
}
