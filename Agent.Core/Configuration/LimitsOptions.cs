using Microsoft.Extensions.Options;

namespace Agent.Core.Configuration;

/// <summary>Section <c>Limits</c>: the bounds at every door besides the per-key request rate (<c>RATE_LIMIT_REQUESTS</c>).</summary>
public sealed class LimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>Requests per minute per client IP (IPv6: per /64) without valid credentials; 0 switches it off.</summary>
    public int UnauthenticatedPerMinute { get; set; } = 60;

    /// <summary>Seconds over which identical rejections from one source are folded into one audit row.</summary>
    public int SecurityEventWindowSeconds { get; set; } = 60;

    /// <summary>Distinct sources tracked per window; rejections from further sources share one overflow row per reason.</summary>
    public int SecurityEventSources { get; set; } = 1000;

    /// <summary>Run subscriptions one SignalR connection may hold.</summary>
    public int SubscriptionsPerConnection { get; set; } = 100;

    /// <summary>Background runs (POST /agent/runs and console runs) one key may have running at once.</summary>
    public int BackgroundRunsPerKey { get; set; } = 4;

    /// <summary>Background runs running at once across all keys.</summary>
    public int BackgroundRuns { get; set; } = 64;

    /// <summary>Sign-in attempts from one client that may wait their turn; more are refused at once.</summary>
    public int SignInQueuePerClient { get; set; } = 4;
}

/// <summary>Collects every invalid <see cref="LimitsOptions"/> value, each message naming its key.</summary>
public sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        var failures = new OptionsFailures(LimitsOptions.SectionName);
        failures.Require(options.UnauthenticatedPerMinute is >= 0 and <= 1_000_000, nameof(options.UnauthenticatedPerMinute), "must be between 0 (off) and 1000000.");
        failures.Require(options.SecurityEventWindowSeconds is >= 1 and <= 3600, nameof(options.SecurityEventWindowSeconds), "must be between 1 and 3600 seconds.");
        failures.Require(options.SecurityEventSources is >= 1 and <= 1_000_000, nameof(options.SecurityEventSources), "must be between 1 and 1000000.");
        failures.Require(options.SubscriptionsPerConnection is >= 1 and <= 100_000, nameof(options.SubscriptionsPerConnection), "must be between 1 and 100000.");
        failures.Require(options.BackgroundRunsPerKey is >= 1 and <= 10_000, nameof(options.BackgroundRunsPerKey), "must be between 1 and 10000.");
        failures.Require(options.BackgroundRuns is >= 1 and <= 100_000, nameof(options.BackgroundRuns), "must be between 1 and 100000.");
        failures.Require(options.SignInQueuePerClient is >= 1 and <= 1000, nameof(options.SignInQueuePerClient), "must be between 1 and 1000.");
        return failures.Result;
    }
}
