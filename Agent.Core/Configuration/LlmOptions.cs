namespace Agent.Core.Configuration;

/// <summary>Section <c>Llm</c>: which model plans the runs.</summary>
public sealed class LlmOptions
{
    public const string SectionName = "Llm";

    /// <summary>local, anthropic, groq, openai, ollama or openai-compatible. Empty means local unless an API key is set.</summary>
    public string? Provider { get; set; }

    public string? ApiKey { get; set; }

    public string? Model { get; set; }

    public string? BaseUrl { get; set; }

    /// <summary>Seconds one LLM call may take.</summary>
    public int RequestTimeout { get; set; } = 60;

    /// <summary>The provider in force: an explicit choice, else anthropic when a key is given (as in the seed), else local.</summary>
    public string EffectiveProvider =>
        !string.IsNullOrWhiteSpace(Provider) ? Provider.Trim().ToLowerInvariant()
        : string.IsNullOrWhiteSpace(ApiKey) ? "local" : "anthropic";
}
