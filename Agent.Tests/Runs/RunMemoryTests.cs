using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agent.Core;
using Agent.Core.Runs;
using Agent.Tests.Infrastructure;
using Agent.Web.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agent.Tests.Runs;

/// <summary>
/// What the server holds in memory for runs is bounded in bytes: a running run's event history
/// (RUN_EVENTS_MAX_BYTES) and all finished runs together (FINISHED_RUNS_MAX_BYTES), besides count and age.
/// </summary>
public sealed class RunMemoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 15, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Append_HistoryPastItsBound_ShortensThenOmitsEventsButAlwaysKeepsTheEnd()
    {
        var run = new TrackedRun(new RunRequest("x", "api", "tests", null), Start, maxHistoryBytes: 20_000);
        var big = new string('o', 5_000);

        for (var i = 1; i <= 200; i++)
        {
            run.Append(Event(run.Id, i, Completed($"c{i}", big)));
        }
        run.Append(Event(run.Id, 201, new RunFinishedData("success", big, null, 12)));

        var events = run.Events;
        Assert.InRange(run.HistoryBytes, 19_000, 20_400);
        Assert.Equal(events.Sum(e => (long)e.Json.Length), run.HistoryBytes);
        Assert.Equal(201, events.Count + run.OmittedEvents);
        Assert.True(run.OmittedEvents > 100);
        Assert.Equal(big, Assert.IsType<ToolCompletedData>(events[0].Data).Output!.GetValue<string>());
        var shortened = events.First(e => e.Data.DetailOmitted);
        var shortData = Assert.IsType<ToolCompletedData>(shortened.Data);
        Assert.Null(shortData.Output);
        Assert.Equal("success", shortData.Status);
        var fullBytes = JsonSerializer.SerializeToUtf8Bytes(Completed(shortData.CallId!, big), JsonDefaults.Compact).Length;
        Assert.Equal(fullBytes, shortData.OriginalBytes);
        // Short form: the short scalars only, nothing written for what has no value, then what was left out.
        Assert.Equal($$"""{"call_id":"{{shortData.CallId}}","status":"success","duration_ms":3,"truncated":false,"detail_omitted":true,"original_bytes":{{fullBytes}}}""",
            JsonDocument.Parse(shortened.Json).RootElement.GetProperty("data").GetRawText());
        var end = events[^1];
        var finished = Assert.IsType<RunFinishedData>(end.Data);
        Assert.Equal(201, end.Sequence);
        Assert.Equal(("success", null, true), (finished.Status, finished.Output, finished.DetailOmitted));
    }

    private static ToolCompletedData Completed(string callId, string output) =>
        new(callId, null, "success", 3, JsonValue.Create(output), null, false, null);

    [Fact]
    public async Task GetRun_RunWithManyLargeCalls_StepsStayWithinTheHistoryBoundAndTheResultIsWhole()
    {
        var content = new string('w', 60_000);
        var turn = Enumerable.Range(0, 8).Select(i => ("write_file", new KernelArguments { ["path"] = $"f{i}.txt", ["content"] = content })).ToArray();
        await using var app = new AgentApplication
        {
            ConfigureServices = services => services.AddSingleton<IChatCompletionService>(new ScriptedChatService(turn, turn, turn, turn, turn, turn)),
        };
        var client = app.CreateAuthenticatedClient();

        var accepted = await client.PostAsJsonAsync("/agent/runs", new { input = "write many big files" });
        var id = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString()!;
        var body = await PollUntilFinishedAsync(client, id);

        var status = JsonNode.Parse(body)!;
        Assert.Equal("success", status["status"]!.GetValue<string>());
        Assert.Equal(48, status["result"]!["tool_executions"]!.AsArray().Count);
        var steps = status["steps"]!.AsArray();
        // Unbounded, the 48 inputs of 60 KB would appear twice in the steps (decision and tool_started): about 5.8 MB.
        Assert.InRange(JsonMeasure.Of(steps).Bytes, 900_000, 1_048_576 + 50_000);
        Assert.Contains(steps, s => s!["data"]!["detail_omitted"] is not null);
        Assert.Equal("run_finished", steps[^1]!["type"]!.GetValue<string>());
        Assert.InRange(body.Length, 3_000_000, 5_000_000);
    }

    [Fact]
    public async Task FinishedRuns_OverTheByteBound_OldestForgottenFirstAndStillInTheAudit()
    {
        await using var app = WriterApplication(runs: 6, fileBytes: 100_000, new Dictionary<string, string?> { ["RunLimits:MaxFinishedRunsBytes"] = "700000" });
        var client = app.CreateAuthenticatedClient();
        var manager = app.Services.GetRequiredService<RunManager>();

        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await RunAsync(client, $"write file {i}"));
        }

        var kept = ids.Where(id => manager.Find(id) is not null).ToList();
        var (count, bytes) = manager.FinishedInMemory;
        Assert.InRange(bytes, 1, 700_000);
        Assert.Equal(kept.Count, count);
        Assert.Equal(bytes, kept.Sum(id => manager.Find(id)!.RetainedBytes));
        Assert.All(kept, id => Assert.InRange(manager.Find(id)!.RetainedBytes, 200_000, 699_999));
        // Each run holds about 300 KB (its 100 KB input in the decision, the tool_started event and the result): two fit, not six.
        Assert.Equal(ids.TakeLast(kept.Count), kept);
        Assert.Equal(2, kept.Count);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/agent/runs/{ids[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/agent/runs/{ids[^1]}")).StatusCode);
        var audited = await app.QueryAsync($"SELECT status FROM requests WHERE id = '{ids[0]}'");
        Assert.Equal("success", Assert.Single(audited)["status"]);
    }

    [Fact]
    public async Task FinishedRuns_OverTheCountBound_OnlyTheNewestKept()
    {
        await using var app = WriterApplication(runs: 4, fileBytes: 10, new Dictionary<string, string?> { ["RunLimits:MaxFinishedRuns"] = "2" });
        var client = app.CreateAuthenticatedClient();
        var manager = app.Services.GetRequiredService<RunManager>();

        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await RunAsync(client, $"write file {i}"));
        }

        Assert.Equal([false, false, true, true], ids.Select(id => manager.Find(id) is not null));
        Assert.Equal(2, manager.FinishedInMemory.Count);
    }

    [Fact]
    public async Task FinishedRuns_OlderThanTheKeepTime_ForgottenAtTheNextStart()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = WriterApplication(runs: 3, fileBytes: 10, new Dictionary<string, string?> { ["RunLimits:FinishedRunMinutes"] = "30" },
            services => services.AddSingleton<TimeProvider>(clock));
        var client = app.CreateAuthenticatedClient();
        var manager = app.Services.GetRequiredService<RunManager>();

        var first = await RunAsync(client, "write file 0");
        clock.Advance(TimeSpan.FromMinutes(29));
        var second = await RunAsync(client, "write file 1");
        Assert.NotNull(manager.Find(first));

        clock.Advance(TimeSpan.FromMinutes(2));
        var third = await RunAsync(client, "write file 2");

        Assert.Null(manager.Find(first));
        Assert.NotNull(manager.Find(second));
        Assert.NotNull(manager.Find(third));
    }

    /// <summary>An application whose model writes one file of <paramref name="fileBytes"/> per run, then answers.</summary>
    private static AgentApplication WriterApplication(int runs, int fileBytes, Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        // Each run takes two turns: one write, then an empty turn that ends it with the model's text.
        var turns = Enumerable.Range(0, runs).SelectMany(i => new (string Tool, KernelArguments Arguments)[][]
        {
            [("write_file", new KernelArguments { ["path"] = $"run{i}.txt", ["content"] = new string('r', fileBytes) })],
            [],
        }).ToArray();
        settings["RunLimits:MaxToolArgumentBytes"] = "1048576";
        return new AgentApplication(settings)
        {
            ConfigureServices = services =>
            {
                services.AddSingleton<IChatCompletionService>(new ScriptedChatService(turns));
                configure?.Invoke(services);
            },
        };
    }

    private static async Task<string> RunAsync(HttpClient client, string input)
    {
        var response = await client.PostAsJsonAsync("/agent/run", new { input });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("success", body["status"]!.GetValue<string>());
        return body["request_id"]!.GetValue<string>();
    }

    private static RunEvent Event(string runId, int sequence, RunEventData data) => new(runId, sequence, Start, data);

    private static Task<string> PollUntilFinishedAsync(HttpClient client, string id) =>
        Eventually.UntilAsync(() => client.GetStringAsync($"/agent/runs/{id}"), body => JsonNode.Parse(body)!["status"]!.GetValue<string>() != "running",
            TimeSpan.FromSeconds(30), $"run {id} finishes");
}
