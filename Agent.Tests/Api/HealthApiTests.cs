using System.Net;
using System.Text.Json;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Api;

public sealed class HealthApiTests
{
    [Fact]
    public async Task GetHealth_NoKey_ReturnsSeedShape()
    {
        await using var app = new AgentApplication();

        var response = await app.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal("healthy", root.GetProperty("status").GetString());
        Assert.Equal("0.1.0", root.GetProperty("version").GetString());
        var timestamp = root.GetProperty("timestamp").GetString()!;
        Assert.EndsWith("Z", timestamp);
        Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse(timestamp) < TimeSpan.FromMinutes(1));
        Assert.False(root.TryGetProperty("checks", out _));
    }

    [Fact]
    public async Task GetHealth_ManyCalls_WriteNothingIntoTheWorkspace()
    {
        await using var app = new AgentApplication();
        var client = app.CreateClient();
        using var watcher = new FileSystemWatcher(app.WorkspacePath) { IncludeSubdirectories = true };
        var changes = new System.Collections.Concurrent.ConcurrentQueue<string>();
        watcher.Created += (_, e) => changes.Enqueue(e.Name ?? "?");
        watcher.Deleted += (_, e) => changes.Enqueue(e.Name ?? "?");
        watcher.EnableRaisingEvents = true;

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetAsync("/health")));
        // The watcher's events arrive on their own thread; a file written and deleted here would be reported by now.
        await Task.Delay(500);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Empty(changes);
    }

    [Fact]
    public async Task GetHealth_WorkspaceRemoved_Returns503Unhealthy()
    {
        await using var app = new AgentApplication();
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Directory.Delete(app.WorkspacePath, recursive: true);

        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unhealthy", body.RootElement.GetProperty("status").GetString());
        Assert.True(body.RootElement.GetProperty("checks").TryGetProperty("workspace", out _));
    }
}
