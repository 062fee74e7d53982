using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Agent.Core.Configuration;
using Agent.Tests.Auditing;
using Agent.Tests.Infrastructure;
using Agent.Web.Runs;
using Agent.Web.Security;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Agent.Tests.Security;

public sealed class LimitsTests
{
    [Fact]
    public async Task BackgroundRuns_PastPerKeyBound_Are429WithRetryAfter_OtherKeysUnaffected()
    {
        await using var app = PrincipalApp.Create(new Dictionary<string, string?> { ["Limits:BackgroundRunsPerKey"] = "2" });
        var baseUrl = app.StartOnRealPort();
        await PrincipalApp.StartAsync(baseUrl, PrincipalApp.Alice, "wait one");
        await PrincipalApp.StartAsync(baseUrl, PrincipalApp.Alice, "wait two");
        using var alice = PrincipalApp.Client(baseUrl, PrincipalApp.Alice);

        var third = await alice.PostAsJsonAsync("/agent/runs", new { input = "wait three" });

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.NotNull(third.Headers.RetryAfter);
        Assert.Contains("MAX_BACKGROUND_RUNS_PER_KEY", await third.Content.ReadAsStringAsync());
        Assert.Equal("too_many_runs", Assert.Single(await app.WaitForRowsAsync("SELECT reason FROM security_events", 1))["reason"]);
        await PrincipalApp.StartAsync(baseUrl, PrincipalApp.Bob, "wait bob");
    }

    [Fact]
    public async Task BackgroundRuns_PastGlobalBound_Are429ForEveryKey()
    {
        await using var app = PrincipalApp.Create(new Dictionary<string, string?> { ["Limits:BackgroundRuns"] = "2" });
        var baseUrl = app.StartOnRealPort();
        await PrincipalApp.StartAsync(baseUrl, PrincipalApp.Alice, "wait one");
        await PrincipalApp.StartAsync(baseUrl, PrincipalApp.Bob, "wait two");
        using var dave = PrincipalApp.Client(baseUrl, PrincipalApp.Dave);

        var third = await dave.PostAsJsonAsync("/agent/runs", new { input = "hello" });

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Contains("MAX_BACKGROUND_RUNS", await third.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Hub_SubscriptionsPastTheCap_AndUnknownRuns_AreRefusedAndRecorded()
    {
        await using var app = PrincipalApp.Create(new Dictionary<string, string?> { ["Limits:SubscriptionsPerConnection"] = "2" });
        var baseUrl = app.StartOnRealPort();
        var runs = new[]
        {
            await PrincipalApp.StartAsync(baseUrl, PrincipalApp.Alice, "wait one"),
            await PrincipalApp.StartAsync(baseUrl, PrincipalApp.Alice, "wait two"),
            await PrincipalApp.StartAsync(baseUrl, PrincipalApp.Bob, "wait three"),
        };
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUrl, "/hubs/runs"), o => o.Headers.Add("X-API-Key", PrincipalApp.Dave))
            .Build();
        await connection.StartAsync();

        await connection.InvokeAsync<object>("SubscribeRun", runs[0]);
        await connection.InvokeAsync<object>("SubscribeRun", runs[1]);
        await connection.InvokeAsync<object>("SubscribeRun", runs[1]);
        var overCap = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<object>("SubscribeRun", runs[2]));
        await connection.InvokeAsync("UnsubscribeRun", runs[0]);
        await connection.InvokeAsync<object>("SubscribeRun", runs[2]);
        var unknown = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<object>("SubscribeRun", "run-that-does-not-exist"));

        Assert.Contains("MAX_SUBSCRIPTIONS_PER_CONNECTION", overCap.Message);
        Assert.Contains("not active", unknown.Message);
        var rows = await app.WaitForRowsAsync("SELECT reason, route, principal FROM security_events ORDER BY seq", 2);
        Assert.Equal(["subscription_refused", "not_owner"], rows.Select(r => (string)r["reason"]!));
        Assert.All(rows, r => Assert.Equal("dave", r["principal"]));
        Assert.Equal("/hubs/runs/SubscribeRun", rows[0]["route"]);
    }

    [Theory]
    [InlineData("http://127.0.0.1:1", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost:{port}", HttpStatusCode.Forbidden)]
    [InlineData("null", HttpStatusCode.Forbidden)]
    [InlineData("http://127.0.0.1:{port}", HttpStatusCode.OK)]
    [InlineData("http://allowed.example", HttpStatusCode.OK)]
    [InlineData(null, HttpStatusCode.OK)]
    public async Task LiveChannels_CheckOrigin_OwnOriginAndCorsOriginsOnly(string? origin, HttpStatusCode expected)
    {
        await using var app = PrincipalApp.Create(new Dictionary<string, string?> { ["Agent:CorsOrigins"] = "http://allowed.example" });
        var baseUrl = app.StartOnRealPort();
        var run = await PrincipalApp.StartAsync(baseUrl, PrincipalApp.Dave, "wait");
        using var client = PrincipalApp.Client(baseUrl, PrincipalApp.Dave);

        async Task<HttpStatusCode> SendAsync(HttpMethod method, string path)
        {
            using var request = new HttpRequestMessage(method, path);
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin.Replace("{port}", baseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
            }
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            return response.StatusCode;
        }

        Assert.Equal(expected, await SendAsync(HttpMethod.Get, $"/agent/runs/{run}/events"));
        Assert.Equal(expected, await SendAsync(HttpMethod.Post, "/hubs/runs/negotiate?negotiateVersion=1"));
        if (expected == HttpStatusCode.Forbidden)
        {
            Assert.Equal("foreign_origin", (await app.WaitForRowsAsync("SELECT reason FROM security_events", 1))[0]["reason"]);
        }
    }

    [Fact]
    public async Task ConsoleRuns_CountAgainstTheOperatorsLimit_AndRecordTheBrowsersAddress()
    {
        await using var app = new AgentApplication(new Dictionary<string, string?>
        {
            ["Agent:RateLimitEnabled"] = "true",
            ["Agent:RateLimitRequests"] = "2",
        });
        var api = app.CreateAuthenticatedClient();
        Assert.Equal(HttpStatusCode.OK, (await app.RunAsync("check your health", api)).StatusCode);
        using var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<ConsoleClient>().IpAddress = "192.0.2.7";
        var starter = scope.ServiceProvider.GetRequiredService<ConsoleRunStarter>();
        var operatorUser = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, AgentApplication.ApiKeyName)], "test"));

        var second = starter.Start("check your health", operatorUser);
        var third = starter.Start("check your health", operatorUser);

        Assert.NotNull(second.Run);
        Assert.Null(third.Run);
        Assert.Contains("Rate limit exceeded: 2 per 1 minute", third.Refusal);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.RunAsync("check your health", api)).StatusCode);
        var console = Assert.Single(await app.WaitForRowsAsync("SELECT client_ip FROM requests WHERE source = 'console'", 1));
        Assert.Equal("192.0.2.7", console["client_ip"]);
        var refusal = (await app.WaitForRowsAsync("SELECT reason, method, client_ip FROM security_events WHERE method = 'CONSOLE'", 1))[0];
        Assert.Equal("rate_limited", refusal["reason"]);
        Assert.Equal("192.0.2.7", refusal["client_ip"]);
    }

    [Fact]
    public async Task SignIn_ParallelAttemptsFromOneClient_WaitTheirTurn_ExtraOnesRefused()
    {
        await using var app = new AgentApplication();
        var time = FakeTimeExtensions.StartingNow();
        var signIn = new OperatorSignIn(app.Services.GetRequiredService<ApiKeyStore>(), Options.Create(new LimitsOptions()), time);
        var started = time.GetUtcNow();

        var waiting = Task.WhenAll(Enumerable.Range(0, 5).Select(_ => signIn.TryAsync("wrong-key-0123456789abcdef", "198.51.100.1", CancellationToken.None)));
        await time.AdvanceUntilAsync(() => waiting.IsCompleted, TimeSpan.FromMilliseconds(250), "the four waiting attempts to be answered");
        var attempts = await waiting;

        // Four wait their turn (250 + 500 + 1000 + 2000 ms one after another, where in parallel they would be done by
        // 2000 ms); the fifth is refused at once.
        Assert.Equal(4, attempts.Count(a => a == SignInResult.Failed));
        Assert.Equal(1, attempts.Count(a => a.IsBusy));
        Assert.True(time.GetUtcNow() - started >= TimeSpan.FromMilliseconds(3750), $"took {time.GetUtcNow() - started}");
        var other = await signIn.TryAsync(AgentApplication.ApiKey, "203.0.113.9", CancellationToken.None);
        Assert.Equal(AgentApplication.ApiKeyName, other.Operator?.Name);
    }

    [Fact]
    public void Options_BadRolesAndLimits_FailNamingTheKey()
    {
        var agent = new ApiKeyOptionsValidator().Validate(null, new ApiKeyOptions
        {
            ApiKeys = new() { ["alice"] = "alice-key-0123456789abcdef" },
            KeyRoles = new() { ["alice"] = "boss", ["ghost"] = "admin" },
        });
        var limits = new LimitsOptionsValidator().Validate(null, new LimitsOptions { BackgroundRunsPerKey = 0, SubscriptionsPerConnection = -1 });
        var console = new ConsoleOptionsValidator().Validate(null, new ConsoleOptions { RevalidateSeconds = 120 });

        Assert.Contains("Agent:KeyRoles:alice is 'boss'", agent.FailureMessage);
        Assert.Contains("Agent:KeyRoles:ghost names no key", agent.FailureMessage);
        Assert.Contains("MAX_BACKGROUND_RUNS_PER_KEY (Limits:BackgroundRunsPerKey)", limits.FailureMessage);
        Assert.Contains("MAX_SUBSCRIPTIONS_PER_CONNECTION (Limits:SubscriptionsPerConnection)", limits.FailureMessage);
        Assert.Contains("CONSOLE_REVALIDATE_SECONDS (Console:RevalidateSeconds)", console.FailureMessage);
    }
}
