namespace Agent.Core.Configuration;

/// <summary>Section <c>Llm</c>: which model plans the runs, and how hard to try when it is unreachable.</summary>
public sealed class LlmOptions
{
    public const string SectionName = "Llm";

    /// <summary>local, anthropic, groq, openai, ollama or openai-compatible. Empty means local unless an API key is set.</summary>
    public string? Provider { get; set; }

    public string? ApiKey { get; set; }

    public string? Model { get; set; }

    public string? BaseUrl { get; set; }

    /// <summary>Seconds one LLM call may take, retries included; past it the run ends as <c>error</c>.</summary>
    public int RequestTimeout { get; set; } = 60;

    /// <summary>Seconds one HTTP attempt may take before it is abandoned and retried (never more than <see cref="RequestTimeout"/>).</summary>
    public int AttemptTimeout { get; set; } = 30;

    /// <summary>Most tokens the model may write in one answer; sent to every provider. An answer cut off here ends the run as <c>error</c>.</summary>
    public int MaxOutputTokens { get; set; } = 4096;

    /// <summary>Retries after a 429, a 5xx, a network failure or an attempt timeout.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Base delay of the exponential, jittered backoff; a <c>Retry-After</c> header takes precedence.</summary>
    public int RetryDelayMs { get; set; } = 1000;

    /// <summary>
    /// Model calls in flight at once; calls past it wait (within <see cref="RequestTimeout"/>) for one to end instead of
    /// failing. One per run waiting on the model, so this bounds how many runs can wait at once without queueing.
    /// </summary>
    public int MaxConcurrentCalls { get; set; } = 4096;

    /// <summary>The provider in force: an explicit choice, else anthropic when a key is given (as in the seed), else local.</summary>
    public string EffectiveProvider =>
        !string.IsNullOrWhiteSpace(Provider) ? Provider.Trim().ToLowerInvariant()
        : string.IsNullOrWhiteSpace(ApiKey) ? "local" : "anthropic";

    /// <summary>The configured model, or the provider's default when unset or empty (appsettings.json ships <c>""</c>).</summary>
    public string EffectiveModel =>
        string.IsNullOrWhiteSpace(Model) ? Llm.LlmProviders.All[EffectiveProvider].DefaultModel : Model.Trim();

    /// <summary>The configured endpoint, or the provider's own when unset or empty; null only for the local planner.</summary>
    public string? EffectiveBaseUrl =>
        string.IsNullOrWhiteSpace(BaseUrl) ? Llm.LlmProviders.All[EffectiveProvider].DefaultBaseUrl : BaseUrl.Trim();

    /// <summary>The attempt timeout actually applied: an attempt can never outlive the call it belongs to.</summary>
    public TimeSpan EffectiveAttemptTimeout => TimeSpan.FromSeconds(Math.Min(AttemptTimeout, RequestTimeout));
}
