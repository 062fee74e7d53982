using Agent.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Agent.Core.Auditing;

/// <summary>Section <c>Audit</c>: how long the audit trail is kept.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>Days of runs and security events to keep; unset keeps everything. <c>AUDIT_RETENTION_DAYS</c>.</summary>
    public int? RetentionDays { get; set; }

    /// <summary>How often the retention job looks for expired entries.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// SQLite <c>synchronous</c> mode. <c>full</c> (default) syncs every commit to disk, so an acknowledged row survives
    /// even a power loss; <c>normal</c> (WAL) survives a process crash but may lose the last commits on power loss,
    /// for several times the write throughput. <c>AUDIT_SYNCHRONOUS</c>.
    /// </summary>
    public string Synchronous { get; set; } = "full";
}

/// <summary>Collects every invalid <see cref="AuditOptions"/> value, each message naming its key.</summary>
public sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        var failures = new OptionsFailures(AuditOptions.SectionName);
        failures.Require(options.RetentionDays is null or (>= 1 and <= 36_500), nameof(options.RetentionDays),
            "must be between 1 and 36500 days, or unset to keep everything.");
        failures.Require(options.RetentionInterval >= TimeSpan.FromSeconds(1), nameof(options.RetentionInterval), "must be at least one second.");
        failures.Require(options.Synchronous?.ToLowerInvariant() is "full" or "normal", nameof(options.Synchronous), "must be 'full' or 'normal'.");
        return failures.Result;
    }
}
