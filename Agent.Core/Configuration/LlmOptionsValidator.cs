using Agent.Core.Llm;
using Microsoft.Extensions.Options;

namespace Agent.Core.Configuration;

/// <summary>Stops start-up when the chosen provider is unknown or lacks what it needs; every failure names its key.</summary>
public sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmOptions options)
    {
        var failures = new OptionsFailures(LlmOptions.SectionName);

        var provider = options.EffectiveProvider;
        if (!LlmProviders.All.TryGetValue(provider, out var profile))
        {
            failures.Require(false, nameof(options.Provider), $"is '{provider}'; allowed values are {string.Join(", ", LlmProviders.All.Keys)}.");
        }
        else
        {
            failures.Require(!profile.NeedsApiKey || !string.IsNullOrWhiteSpace(options.ApiKey), nameof(options.ApiKey),
                $"is required for provider '{provider}'. Set LLM_API_KEY, or LLM_PROVIDER=local to use the offline planner.");
            failures.Require(profile.DefaultBaseUrl is not null || provider == LlmProviders.Local || !string.IsNullOrWhiteSpace(options.BaseUrl),
                nameof(options.BaseUrl), $"is required for provider '{provider}'.");
        }
        failures.Require(string.IsNullOrWhiteSpace(options.BaseUrl)
            || (Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"),
            nameof(options.BaseUrl), "must be an absolute http(s) URL.");
        failures.Require(options.RequestTimeout is >= 1 and <= 3600, nameof(options.RequestTimeout), "must be between 1 and 3600 seconds.");
        failures.Require(options.AttemptTimeout is >= 1 and <= 3600, nameof(options.AttemptTimeout), "must be between 1 and 3600 seconds.");
        failures.Require(options.MaxOutputTokens is >= 16 and <= 128_000, nameof(options.MaxOutputTokens), "must be between 16 and 128000 tokens.");
        failures.Require(options.MaxRetries is >= 0 and <= 10, nameof(options.MaxRetries), "must be between 0 and 10.");
        failures.Require(options.RetryDelayMs is >= 1 and <= 60_000, nameof(options.RetryDelayMs), "must be between 1 and 60000 milliseconds.");
        failures.Require(options.MaxConcurrentCalls is >= 1 and <= 100_000, nameof(options.MaxConcurrentCalls), "must be between 1 and 100000.");
        return failures.Result;
    }
}
