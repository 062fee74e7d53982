using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Agent.Tests.Auditing;

namespace Agent.Tests.Policy;

/// <summary>
/// A stop must not wait out the host's shutdown timeout for a follower of a run that will not finish in this process:
/// a run paused on an approval is left for the next start-up to resume, so its SSE stream has no end to reach here.
/// </summary>
public sealed class ShutdownWithFollowersTests
{
    private const string RunnerKey = "stop-runner-0123456789abcdef";
    private const string OperatorKey = "stop-operator-0123456789abcd";

    [Fact]
    public async Task Stop_WhileAnSseClientFollowsARunAwaitingApproval_EndsWellBeforeTheShutdownTimeout()
    {
        var app = AskWritesApp.Create(RunnerKey, OperatorKey);
        var baseUrl = app.StartOnRealPort();
        using var runner = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(90) };
        runner.DefaultRequestHeaders.Add("X-API-Key", RunnerKey);
        var started = await runner.PostAsJsonAsync("/agent/runs", new { input = "write 'hello' to notes.txt" });
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("request_id").GetString()!;
        await Eventually.UntilAsync(
            async () => (await runner.GetJsonAsync($"/agent/runs/{runId}")).RootElement.GetProperty("status").GetString() == "awaiting_approval",
            TimeSpan.FromSeconds(15), "the run to ask");
        using var stream = await runner.GetAsync($"/agent/runs/{runId}/events", HttpCompletionOption.ResponseHeadersRead);
        var reading = stream.Content.ReadAsStringAsync();

        var stopping = Stopwatch.StartNew();
        await app.DisposeAsync();
        stopping.Stop();

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopping.Elapsed.TotalSeconds:0.0} s");
        // The follower's stream ended with the stop rather than hang on.
        await Assert.ThrowsAnyAsync<Exception>(() => reading.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
