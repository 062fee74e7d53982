using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Agent.Tests.Auditing;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Security;

public sealed class FloodTests
{
    [Fact]
    public async Task WrongKeyFlood_Gets429PastTheLimit_AuditStaysBounded_ValidKeyKeepsWorking()
    {
        await using var app = new AgentApplication(new Dictionary<string, string?>
        {
            ["Agent:RateLimitEnabled"] = "true",
            ["Agent:RateLimitRequests"] = "1000",
            ["Limits:SecurityEventWindowSeconds"] = "2",
        });
        var baseUrl = app.StartOnRealPort();
        using var attacker = new HttpClient { BaseAddress = baseUrl };
        attacker.DefaultRequestHeaders.Add("X-API-Key", "wrong-key-0123456789abcdef");
        using var legitimate = app.CreateAuthenticatedClient();
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var retryAfterMissing = 0;
        const int Flood = 5000;
        var next = -1;

        async Task AttackAsync()
        {
            while (Interlocked.Increment(ref next) < Flood)
            {
                using var response = await attacker.GetAsync("/audit/requests");
                statuses.Add(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.RetryAfter is null)
                {
                    Interlocked.Increment(ref retryAfterMissing);
                }
            }
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var flood = Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(AttackAsync)));
        var legitimateStatuses = new List<HttpStatusCode>();
        while (!flood.IsCompleted)
        {
            legitimateStatuses.Add((await legitimate.GetAsync("/audit/requests")).StatusCode);
            legitimateStatuses.Add((await legitimate.PostAsJsonAsync("/agent/run", new { input = "check your health" })).StatusCode);
        }
        await flood;
        var windows = 1 + (int)(clock.Elapsed.TotalSeconds / 60);

        // 60 per one-minute window (RATE_LIMIT_UNAUTHENTICATED's default) are answered 401; every other one 429 with Retry-After.
        var unauthorized = statuses.Count(s => s == HttpStatusCode.Unauthorized);
        Assert.Equal(Flood, statuses.Count);
        Assert.InRange(unauthorized, 60, 60 * windows);
        Assert.Equal(Flood - unauthorized, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(0, retryAfterMissing);
        Assert.NotEmpty(legitimateStatuses);
        Assert.All(legitimateStatuses, s => Assert.Equal(HttpStatusCode.OK, s));

        // The audit holds a few counted rows, not 5,000, and together they account for every rejection.
        List<Dictionary<string, object?>> rows = [];
        await Eventually.TryUntilAsync(async () => (rows = await app.QueryAsync("SELECT reason, count FROM security_events")).Sum(r => (long?)r["count"] ?? 1) >= Flood,
            TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200));
        Assert.Equal(Flood, rows.Sum(r => (long?)r["count"] ?? 1));
        // At most two rows per reason and window of SECURITY_EVENT_WINDOW (2 s here), however many requests came.
        Assert.InRange(rows.Count, 2, 2 * 2 * (2 + (int)(clock.Elapsed.TotalSeconds / 2)));
        Assert.Equal(unauthorized, rows.Where(r => (string)r["reason"]! == "invalid_api_key").Sum(r => (long?)r["count"] ?? 1));
        var verified = await app.VerifyAsync();
        Assert.True(verified.IsValid, verified.Break?.ToString());
    }
}
