using Agent.Core.Llm;
using Microsoft.Extensions.Options;

namespace Agent.Core.Configuration;

/// <summary>Stops start-up when the chosen provider is unknown or lacks what it needs.</summary>
public sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmOptions options)
    {
        var failures = new List<string>();
        var provider = options.EffectiveProvider;
        if (!LlmProviders.All.TryGetValue(provider, out var profile))
        {
            failures.Add($"{ConfigurationKeys.Describe("Llm:Provider")} is '{provider}'; allowed values are {string.Join(", ", LlmProviders.All.Keys)}.");
        }
        else
        {
            if (profile.NeedsApiKey && string.IsNullOrWhiteSpace(options.ApiKey))
            {
                failures.Add($"{ConfigurationKeys.Describe("Llm:ApiKey")} is required for provider '{provider}'.");
            }
            if (profile.DefaultBaseUrl is null && provider != LlmProviders.Local && string.IsNullOrWhiteSpace(options.BaseUrl))
            {
                failures.Add($"{ConfigurationKeys.Describe("Llm:BaseUrl")} is required for provider '{provider}'.");
            }
        }
        if (!string.IsNullOrWhiteSpace(options.BaseUrl) && !Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out _))
        {
            failures.Add($"{ConfigurationKeys.Describe("Llm:BaseUrl")} must be an absolute URL.");
        }
        if (options.RequestTimeout is < 1 or > 3600)
        {
            failures.Add($"{ConfigurationKeys.Describe("Llm:RequestTimeout")} must be between 1 and 3600 seconds.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
