using System.Text.Json;
using Agent.Tests.Auditing;
using Agent.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Agent.Tests.Browser;

/// <summary>
/// A page on another port of 127.0.0.1 shares the signed-in operator's cookie (browsers send cookies to every port of a
/// host, SameSite=Strict included). It must not open the live channels; the console on its own origin must stay live.
/// </summary>
[Trait("Category", "Browser")]
[Collection(BrowserCollection.Name)]
public sealed class CrossOriginHijackTests(BrowserFixture browser)
{
    /// <summary>Opens a WebSocket, speaks the SignalR handshake and calls SubscribeAll; reports what happened.</summary>
    private const string Hijack = """
        async url => await new Promise(resolve => {
            const result = { opened: false, messages: [] };
            const ws = new WebSocket(url);
            ws.onopen = () => {
                result.opened = true;
                ws.send('{"protocol":"json","version":1}\u001e');
                setTimeout(() => ws.send('{"type":1,"invocationId":"1","target":"SubscribeAll","arguments":[]}\u001e'), 300);
                setTimeout(() => { ws.close(); }, 1500);
            };
            ws.onmessage = e => result.messages.push(String(e.data));
            ws.onclose = e => { result.code = e.code; resolve(result); };
            setTimeout(() => resolve(result), 8000);
        })
        """;

    [Fact]
    public async Task OtherPortPage_WithOperatorCookie_CannotOpenHubOrCircuit_ConsoleStaysLive()
    {
        await using var app = new AgentApplication(new Dictionary<string, string?> { ["Limits:SecurityEventWindowSeconds"] = "1" });
        File.WriteAllText(Path.Combine(app.WorkspacePath, "notes.txt"), "hello");
        var baseUrl = app.StartOnRealPort();
        await using var attacker = await OtherOriginPage.StartAsync();
        Assert.NotEqual(new Uri(attacker.Url).Port, baseUrl.Port);
        var console = await ConsoleSession.SignInAsync(browser, baseUrl, path: "/run");
        var hub = $"ws://127.0.0.1:{baseUrl.Port}/hubs/runs";

        // Same browser, same cookie jar, another origin.
        var evil = await console.Context.NewPageAsync();
        await evil.GotoAsync(attacker.Url);
        var hijack = await evil.EvaluateAsync<JsonElement>(Hijack, hub);
        var circuit = await evil.EvaluateAsync<JsonElement>(Hijack, $"ws://127.0.0.1:{baseUrl.Port}/_blazor");

        Assert.False(hijack.GetProperty("opened").GetBoolean(), hijack.ToString());
        Assert.Equal(0, hijack.GetProperty("messages").GetArrayLength());
        Assert.False(circuit.GetProperty("opened").GetBoolean(), circuit.ToString());
        // Both refusals are recorded: the first as its own row, the second folded into a counted row (same source and reason).
        var refused = await app.WaitForRowsAsync("SELECT status_code, route, count FROM security_events WHERE reason = 'foreign_origin'", 2);
        Assert.Equal(2, refused.Sum(r => (long?)r["count"] ?? 1));
        Assert.All(refused, r => Assert.Equal(403L, r["status_code"]));
        Assert.Equal(["/hubs/runs", "/_blazor"], refused.Select(r => (string)r["route"]!));

        // The same script from the console's own origin connects and subscribes: the origin is the only difference.
        var own = await console.EvaluateAsync<JsonElement>(Hijack, hub);
        Assert.True(own.GetProperty("opened").GetBoolean(), own.ToString());
        Assert.Contains(own.GetProperty("messages").EnumerateArray(), m => m.GetString()!.Contains("\"invocationId\":\"1\"", StringComparison.Ordinal));

        // And the console's own circuit stays live: a run streams its steps without a reload.
        await console.Locator("#instruction").FillAsync("List the files in the workspace");
        await console.Locator("#instruction").PressAsync("Control+Enter");
        var step = console.GetByTestId("timeline-tool").Filter(new() { Has = console.GetByText("list_dir") });
        await Assertions.Expect(step).ToHaveAttributeAsync("data-status", "success");
        await Assertions.Expect(console.GetByTestId("run-output")).ToContainTextAsync("notes.txt");
        await console.Context.CloseAsync();
    }
}
