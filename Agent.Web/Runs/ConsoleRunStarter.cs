using System.Security.Claims;
using Agent.Core.Auditing;
using Agent.Core.Runs;
using Agent.Web.Api;
using Agent.Web.Security;

namespace Agent.Web.Runs;

/// <summary>
/// Starts console runs through the same doors as the API: the operator's run allowance (RATE_LIMIT_REQUESTS, shared
/// with the API under the same name) and the background-run bounds. The run records the browser's address, taken
/// from the circuit's connection. Refusals are security events, like the API's 429s.
/// </summary>
public sealed class ConsoleRunStarter(RunManager runs, RunRateLimiter limiter, ConsoleClient client, ISecurityEventWriter events, TimeProvider clock)
{
    public const string Source = "console";
    private const string Route = "/run";

    public RunManager.RunStart Start(string instruction, ClaimsPrincipal user)
    {
        var name = user.Name();
        if (name is null)
        {
            return RunManager.RunStart.Refused("Sign in again to run instructions.");
        }
        if (limiter.TryAcquire(name) is { } wait)
        {
            Record(SecurityEventReasons.RateLimited, name);
            return RunManager.RunStart.Refused($"{limiter.LimitText}; try again in {RateLimiting.RetryAfterSeconds(wait)} s.");
        }
        var start = runs.Start(new RunRequest(instruction, Source, name, client.IpAddress));
        if (start.Run is null)
        {
            Record(SecurityEventReasons.TooManyRuns, name);
        }
        return start;
    }

    private void Record(string reason, string name) =>
        events.Record(new SecurityEvent(clock.GetUtcNow(), StatusCodes.Status429TooManyRequests, reason, "CONSOLE", Route, client.IpAddress, name));
}
