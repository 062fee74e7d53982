namespace Agent.Core.Llm;

/// <summary>What each provider needs: its OpenAI-compatible endpoint, default model and whether a key is required.</summary>
public sealed record LlmProviderProfile(string Name, string? DefaultBaseUrl, string DefaultModel, bool NeedsApiKey);

public static class LlmProviders
{
    public const string Local = "local";

    public static readonly IReadOnlyDictionary<string, LlmProviderProfile> All = new[]
    {
        new LlmProviderProfile(Local, null, "local-planner", NeedsApiKey: false),
        new LlmProviderProfile("anthropic", "https://api.anthropic.com/v1/", "claude-sonnet-4-20250514", NeedsApiKey: true),
        new LlmProviderProfile("groq", "https://api.groq.com/openai/v1/", "llama-3.3-70b-versatile", NeedsApiKey: true),
        new LlmProviderProfile("openai", "https://api.openai.com/v1/", "gpt-4o-mini", NeedsApiKey: true),
        new LlmProviderProfile("ollama", "http://127.0.0.1:11434/v1/", "llama3.1", NeedsApiKey: false),
        new LlmProviderProfile("openai-compatible", null, "default", NeedsApiKey: false),
    }.ToDictionary(p => p.Name, StringComparer.Ordinal);
}
