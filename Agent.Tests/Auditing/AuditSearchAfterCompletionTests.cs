using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Auditing;

/// <summary>
/// Full-text indexing follows the commits in batches, off the commit path; the promise is that a finished run is
/// searchable through the API within one second of its answer.
/// </summary>
public sealed class AuditSearchAfterCompletionTests
{
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Search_AfterTheRunAnswers_FindsItByToolOutputAndByInputWithinOneSecond()
    {
        await using var app = new AgentApplication();
        File.WriteAllText(Path.Combine(app.WorkspacePath, "zebracorn-notes.txt"), "hello");
        var client = app.CreateAuthenticatedClient();
        // Warm-up, not measured: the first run and the first full-text search compile their code paths.
        var warmUp = await RunIdAsync(app, "Read zebracorn-notes.txt");
        Assert.True(await FoundWithinAsync(client, "hello", warmUp, TimeSpan.FromSeconds(15)), "the warm-up run never became searchable");

        var listing = await RunIdAsync(app, "List the files in the workspace");
        var listingAnswered = Stopwatch.StartNew();
        var byToolOutput = await FoundWithinAsync(client, "zebracorn", listing, Promise);
        var listingFound = listingAnswered.Elapsed;
        var unusual = await RunIdAsync(app, "quokkaflux");
        var unusualAnswered = Stopwatch.StartNew();
        var byInput = await FoundWithinAsync(client, "quokkaflux", unusual, Promise);
        var unusualFound = unusualAnswered.Elapsed;

        Assert.True(byToolOutput, $"the listing run was not found by its tool output within {Promise.TotalSeconds} s");
        Assert.True(byInput, $"the run was not found by its input within {Promise.TotalSeconds} s");
        // Eventually checks once more after the time is up; that last look must still be inside the promise.
        Assert.True(listingFound <= Promise && unusualFound <= Promise, $"found after {listingFound.TotalMilliseconds:0} and {unusualFound.TotalMilliseconds:0} ms");
    }

    /// <summary>Polls the search API until <paramref name="runId"/> is among the runs matching <paramref name="text"/>.</summary>
    private static Task<bool> FoundWithinAsync(HttpClient client, string text, string? runId, TimeSpan within) =>
        Eventually.TryUntilAsync(async () =>
        {
            using var page = await client.GetJsonAsync($"/audit/requests?q={text}&page_size=500");
            return page.RootElement.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetString() == runId);
        }, within, TimeSpan.FromMilliseconds(20));

    private static async Task<string?> RunIdAsync(AgentApplication app, string input)
    {
        var response = await app.RunAsync(input);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString();
    }
}
