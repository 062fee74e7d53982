using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Agent.Tests.Auditing;
using Agent.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Agent.Tests.Security;

/// <summary>
/// Allow or deny for every route, SSE stream, hub method and console page, for runner alice, runner bob, auditor carol,
/// admin dave, no key and operator erin (approvals only; alice's run here is not awaiting approval). Another key's run
/// is a 404 (as if unknown); a role that may not use a route is a 403.
/// </summary>
public sealed class PrincipalMatrixTests
{
    private static readonly string[] Principals = ["alice", "bob", "carol", "dave", "none", "erin"];

    private static readonly string[] ConsolePages = ["/", "/run", "/audit", "/system", "/tools", "/console/export?format=csv"];

    /// <summary>Console pages for approvals and policy: opened signed in (every console page refuses a key header alike).</summary>
    private static readonly string[] ApprovalPages = ["/inbox", "/access-grants", "/policy"];

    [Fact]
    public async Task Matrix_EveryDoorForEveryPrincipal_AllowsOrDeniesAsSpecified_AndRecordsEveryRefusal()
    {
        await using var app = PrincipalApp.Create(new Dictionary<string, string?>
        {
            ["Limits:BackgroundRunsPerKey"] = "50",
            // Six principals at every door: more unauthenticated requests than the default 60 per minute.
            ["Limits:UnauthenticatedPerMinute"] = "1000",
        });
        var baseUrl = app.StartOnRealPort();
        var aliceLive = await PrincipalApp.StartAsync(baseUrl, PrincipalApp.Alice, "wait for me");
        var aliceRecord = await PrincipalApp.RunAsync(baseUrl, PrincipalApp.Alice, "alice's record");
        await PrincipalApp.RunAsync(baseUrl, PrincipalApp.Bob, "bob's record");

        var cells = new List<(string Door, Func<HttpClient, Task<HttpResponseMessage>> Call, int[] Expected)>
        {
            ("POST /agent/run", c => c.PostAsJsonAsync("/agent/run", new { input = "hello" }), [200, 200, 403, 200, 401, 403]),
            ("POST /agent/runs", c => c.PostAsJsonAsync("/agent/runs", new { input = "hello" }), [202, 202, 403, 202, 401, 403]),
            ("GET /agent/runs/{alice's}", c => c.GetAsync($"/agent/runs/{aliceLive}"), [200, 404, 403, 200, 401, 404]),
            ("GET /agent/runs/{alice's}/events (SSE)", c => c.GetAsync($"/agent/runs/{aliceLive}/events", HttpCompletionOption.ResponseHeadersRead), [200, 404, 403, 200, 401, 404]),
            ("POST /agent/runs/{alice's}/cancel", async c => await c.PostAsync($"/agent/runs/{await PrincipalApp.StartAsync(baseUrl, PrincipalApp.Alice, "wait")}/cancel", null), [202, 404, 403, 202, 401, 404]),
            ("GET /audit/requests", c => c.GetAsync("/audit/requests"), [200, 200, 200, 200, 401, 200]),
            ("GET /audit/requests?principal=alice", c => c.GetAsync("/audit/requests?principal=alice"), [200, 403, 200, 200, 401, 403]),
            ("GET /audit/requests/{alice's}", c => c.GetAsync($"/audit/requests/{aliceRecord}"), [200, 404, 200, 200, 401, 404]),
            ("GET /audit/export", c => c.GetAsync("/audit/export?format=csv"), [403, 403, 200, 200, 401, 403]),
            ("GET /audit/verify", c => c.GetAsync("/audit/verify"), [403, 403, 200, 200, 401, 403]),
            ("GET /health", c => c.GetAsync("/health"), [200, 200, 200, 200, 200, 200]),
            ("GET /approvals", c => c.GetAsync("/approvals?status=pending"), [403, 403, 403, 200, 401, 200]),
            ("GET /grants", c => c.GetAsync("/grants"), [403, 403, 403, 200, 401, 200]),
            ("POST /policy/dry-run", c => c.PostAsJsonAsync("/policy/dry-run", new { rules = Array.Empty<object>(), last = 10 }), [403, 403, 403, 200, 401, 200]),
        };
        // An X-API-Key never authenticates a console page: every key is sent to the sign-in page like no key.
        cells.AddRange(ConsolePages.Append($"/runs/{aliceRecord}").Select(page =>
            ($"GET {page} (console, key header)", (Func<HttpClient, Task<HttpResponseMessage>>)(c => c.GetAsync(page)), new[] { 302, 302, 302, 302, 302, 302 })));

        var mismatches = new List<string>();
        var refusals = 0;
        foreach (var (door, call, expected) in cells)
        {
            for (var i = 0; i < Principals.Length; i++)
            {
                using var client = PrincipalApp.Client(baseUrl, PrincipalApp.Keys[Principals[i]]);
                using var response = await call(client);
                var actual = (int)response.StatusCode;
                if (actual != expected[i])
                {
                    mismatches.Add($"{door} as {Principals[i]}: expected {expected[i]}, got {actual} {await response.Content.ReadAsStringAsync()}");
                }
                if (expected[i] is 401 or 403 or 404)
                {
                    refusals++;
                    Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
                }
                if (expected[i] == 302)
                {
                    Assert.Equal("/signin", new Uri(baseUrl, response.Headers.Location!).AbsolutePath);
                }
            }
        }

        // Hub: connect, join alice's run, join all runs.
        var hubExpected = new Dictionary<string, string[]>
        {
            ["alice"] = ["connected", "joined", "refused"],
            ["bob"] = ["connected", "refused", "refused"],
            ["carol"] = ["403", "-", "-"],
            ["dave"] = ["connected", "joined", "joined"],
            ["none"] = ["401", "-", "-"],
            ["erin"] = ["connected", "refused", "refused"],
        };
        foreach (var principal in Principals)
        {
            var actual = await HubOutcomesAsync(baseUrl, PrincipalApp.Keys[principal], aliceLive);
            refusals += actual.Count(a => a is "refused" or "401" or "403");
            if (!actual.SequenceEqual(hubExpected[principal]))
            {
                mismatches.Add($"hub as {principal}: expected {string.Join(",", hubExpected[principal])}, got {string.Join(",", actual)}");
            }
        }

        // The console by cookie: only dave (admin, no Console:OperatorKeys set) signs in; then every page opens.
        foreach (var principal in Principals.Where(p => p != "none"))
        {
            using var browser = ConsoleHttp.Client(baseUrl);
            var signIn = await ConsoleHttp.SignInAsync(browser, PrincipalApp.Keys[principal]!);
            var expectedSignIn = principal == "dave" ? HttpStatusCode.Found : HttpStatusCode.OK;
            if (signIn.StatusCode != expectedSignIn)
            {
                mismatches.Add($"console sign-in as {principal}: expected {expectedSignIn}, got {signIn.StatusCode}");
            }
            if (principal != "dave")
            {
                refusals++;
                continue;
            }
            foreach (var page in ConsolePages.Concat(ApprovalPages).Append($"/runs/{aliceRecord}"))
            {
                var response = await browser.GetAsync(page);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    mismatches.Add($"console {page} as signed-in dave: expected 200, got {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));

        // Every refusal is in security_events, identical ones folded into counted rows, and no more: stopping the server
        // closes every open fold window and writes everything queued, so after it the table is complete.
        await app.Services.GetRequiredService<IHost>().StopAsync();
        const string Recorded = "SELECT COALESCE(SUM(COALESCE(count, 1)), 0) AS n FROM security_events";
        Assert.Equal(refusals, (long)(await app.QueryAsync(Recorded))[0]["n"]!);
        var keysInAudit = await app.QueryAsync("SELECT * FROM security_events");
        Assert.DoesNotContain(keysInAudit.SelectMany(r => r.Values), v => v is string s && PrincipalApp.Keys.Values.Contains(s));
    }

    [Fact]
    public async Task AuditSearch_RunnerSeesOnlyOwnRows_AuditorAndAdminSeeAll()
    {
        await using var app = PrincipalApp.Create();
        var baseUrl = app.StartOnRealPort();
        await PrincipalApp.RunAsync(baseUrl, PrincipalApp.Alice, "alice one");
        await PrincipalApp.RunAsync(baseUrl, PrincipalApp.Bob, "bob one");
        await PrincipalApp.RunAsync(baseUrl, PrincipalApp.Dave, "dave one");

        async Task<string[]> PrincipalsSeenBy(string key)
        {
            using var client = PrincipalApp.Client(baseUrl, key);
            var page = JsonDocument.Parse(await client.GetStringAsync("/audit/requests")).RootElement;
            return page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("principal").GetString()!).Order().ToArray();
        }

        Assert.Equal(["alice"], await PrincipalsSeenBy(PrincipalApp.Alice));
        Assert.Equal(["bob"], await PrincipalsSeenBy(PrincipalApp.Bob));
        Assert.Equal(["alice", "bob", "dave"], await PrincipalsSeenBy(PrincipalApp.Carol));
        Assert.Equal(["alice", "bob", "dave"], await PrincipalsSeenBy(PrincipalApp.Dave));
    }

    [Fact]
    public async Task Cancel_ByAdmin_RecordsWhoCancelled()
    {
        await using var app = PrincipalApp.Create();
        var baseUrl = app.StartOnRealPort();
        var id = await PrincipalApp.StartAsync(baseUrl, PrincipalApp.Alice, "wait");

        using var dave = PrincipalApp.Client(baseUrl, PrincipalApp.Dave);
        Assert.Equal(HttpStatusCode.Accepted, (await dave.PostAsync($"/agent/runs/{id}/cancel", null)).StatusCode);

        var row = Assert.Single(await app.WaitForRowsAsync($"SELECT principal, error FROM requests WHERE id = '{id}' AND status = 'error'", 1));
        Assert.Equal("alice", row["principal"]);
        Assert.Equal("Run cancelled by dave.", row["error"]);
    }

    /// <summary>Connect, SubscribeRun(alice's run), SubscribeAll: "connected"/"joined", "refused", or the HTTP status of a refused connection.</summary>
    private static async Task<string[]> HubOutcomesAsync(Uri baseUrl, string? key, string aliceRun)
    {
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUrl, "/hubs/runs"), o =>
            {
                if (key is not null)
                {
                    o.Headers.Add("X-API-Key", key);
                }
            })
            .Build();
        try
        {
            await connection.StartAsync();
        }
        catch (HttpRequestException ex)
        {
            return [((int?)ex.StatusCode)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ex.Message, "-", "-"];
        }
        return ["connected", await InvokeAsync(() => connection.InvokeAsync<JsonElement>("SubscribeRun", aliceRun)), await InvokeAsync(() => connection.InvokeAsync("SubscribeAll"))];
    }

    private static async Task<string> InvokeAsync(Func<Task> call)
    {
        try
        {
            await call();
            return "joined";
        }
        catch (HubException)
        {
            return "refused";
        }
    }
}
