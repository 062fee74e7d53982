using Microsoft.Extensions.Options;

namespace Agent.Core.Configuration;

/// <summary>Collects every invalid <see cref="RunLimitsOptions"/> value, each message naming its key.</summary>
public sealed class RunLimitsOptionsValidator : IValidateOptions<RunLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, RunLimitsOptions options)
    {
        var failures = new OptionsFailures(RunLimitsOptions.SectionName);

        failures.Require(options.MaxToolCallsPerTurn is >= 1 and <= 1000, nameof(options.MaxToolCallsPerTurn), "must be between 1 and 1000.");
        failures.Require(options.MaxToolCallsPerRun is >= 1 and <= 100_000, nameof(options.MaxToolCallsPerRun), "must be between 1 and 100000.");
        failures.Require(options.MaxToolArgumentBytes is >= 1024 and <= 104_857_600, nameof(options.MaxToolArgumentBytes), "must be between 1024 and 104857600 bytes.");
        failures.Require(options.MaxRunOutputBytes is >= 1024 and <= 1_073_741_824, nameof(options.MaxRunOutputBytes), "must be between 1024 and 1073741824 bytes.");
        failures.Require(options.MaxEventHistoryBytes is >= 16_384 and <= 1_073_741_824, nameof(options.MaxEventHistoryBytes), "must be between 16384 and 1073741824 bytes.");
        failures.Require(options.MaxFinishedRunsBytes is >= 0 and <= 17_179_869_184, nameof(options.MaxFinishedRunsBytes), "must be between 0 and 17179869184 bytes.");
        failures.Require(options.MaxFinishedRuns is >= 0 and <= 1_000_000, nameof(options.MaxFinishedRuns), "must be between 0 and 1000000.");
        failures.Require(options.FinishedRunMinutes is >= 0 and <= 10_080, nameof(options.FinishedRunMinutes), "must be between 0 and 10080 minutes.");
        return failures.Result;
    }
}
