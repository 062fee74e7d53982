namespace Agent.Core.Llm;

/// <summary>How a provider is spoken to.</summary>
public enum LlmWire
{
    /// <summary>The built-in offline planner; no network.</summary>
    Local,

    /// <summary>Anthropic's native Messages API (<c>POST /v1/messages</c>) through the official Anthropic SDK.</summary>
    AnthropicMessages,

    /// <summary>OpenAI chat completions (<c>POST /v1/chat/completions</c>) through Semantic Kernel's OpenAI connector.</summary>
    OpenAiChat,
}

/// <summary>What each provider needs: its wire format, endpoint, default model and whether a key is required.</summary>
public sealed record LlmProviderProfile(string Name, LlmWire Wire, string? DefaultBaseUrl, string DefaultModel, bool NeedsApiKey);

/// <summary>
/// The providers and their defaults. Default models were chosen from each provider's published model and deprecation
/// pages on 2026-11-25 (see the README's provider table); <c>LLM_MODEL</c> overrides them.
/// </summary>
public static class LlmProviders
{
    public const string Local = "local";
    public const string Anthropic = "anthropic";
    public const string Groq = "groq";
    public const string OpenAi = "openai";
    public const string Ollama = "ollama";
    public const string OpenAiCompatible = "openai-compatible";

    public static readonly IReadOnlyDictionary<string, LlmProviderProfile> All = new[]
    {
        new LlmProviderProfile(Local, LlmWire.Local, null, "local-planner", NeedsApiKey: false),
        // The SDK appends /v1/messages to its base URL.
        new LlmProviderProfile(Anthropic, LlmWire.AnthropicMessages, "https://api.anthropic.com", "claude-sonnet-4-6", NeedsApiKey: true),
        new LlmProviderProfile(Groq, LlmWire.OpenAiChat, "https://api.groq.com/openai/v1/", "openai/gpt-oss-120b", NeedsApiKey: true),
        new LlmProviderProfile(OpenAi, LlmWire.OpenAiChat, "https://api.openai.com/v1/", "gpt-5.4-mini", NeedsApiKey: true),
        new LlmProviderProfile(Ollama, LlmWire.OpenAiChat, "http://127.0.0.1:11434/v1/", "qwen3", NeedsApiKey: false),
        new LlmProviderProfile(OpenAiCompatible, LlmWire.OpenAiChat, null, "default", NeedsApiKey: false),
    }.ToDictionary(p => p.Name, StringComparer.Ordinal);
}
