using System.Net;
using System.Text.Json;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Auditing;

/// <summary>Full-text indexing happens in the transaction that commits the run, so a finished run is searchable at once.</summary>
public sealed class AuditSearchAfterCompletionTests
{
    [Fact]
    public async Task Search_RightAfterTheRunAnswers_FindsItByInputAndByToolOutput()
    {
        await using var app = new AgentApplication();
        File.WriteAllText(Path.Combine(app.WorkspacePath, "zebracorn-notes.txt"), "hello");
        var client = app.CreateAuthenticatedClient();

        var listing = await RunIdAsync(app, "List the files in the workspace");
        using var byToolOutput = await client.GetJsonAsync("/audit/requests?q=zebracorn");
        var unusual = await RunIdAsync(app, "quokkaflux");
        using var byInput = await client.GetJsonAsync("/audit/requests?q=quokkaflux");

        // No waiting: each response is sent after the commit that indexed its run.
        Assert.Equal(listing, Assert.Single(byToolOutput.RootElement.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(unusual, Assert.Single(byInput.RootElement.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
    }

    private static async Task<string?> RunIdAsync(AgentApplication app, string input)
    {
        var response = await app.RunAsync(input);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString();
    }
}
