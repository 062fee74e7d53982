using Agent.Core.Configuration;
using Anthropic;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace Agent.Core.Llm;

/// <summary>
/// Builds the configured model behind the one chat interface the orchestrator uses: the local planner, Anthropic's native
/// Messages API through the official SDK's <see cref="IChatClient"/>, or Semantic Kernel's OpenAI connector. Every remote
/// call goes through the "llm" HttpClient, whose resilience handler does all retrying.
/// </summary>
public static class ChatServiceFactory
{
    public const string HttpClientName = "llm";

    public static IChatCompletionService Create(IOptions<LlmOptions> options, IHttpClientFactory httpClients)
    {
        var llm = options.Value;
        var provider = LlmProviders.All[llm.EffectiveProvider];
        return provider.Wire switch
        {
            LlmWire.Local => new LocalPlanner(),
            LlmWire.AnthropicMessages => CreateAnthropic(llm, httpClients.CreateClient(HttpClientName)),
            _ => new OpenAIChatCompletionService(
                llm.EffectiveModel,
                new Uri(llm.EffectiveBaseUrl!),
                // Keyless local servers (ollama) still need a non-empty key for the client library.
                string.IsNullOrWhiteSpace(llm.ApiKey) ? "no-key" : llm.ApiKey,
                httpClient: httpClients.CreateClient(HttpClientName)),
        };
    }

    private static IChatCompletionService CreateAnthropic(LlmOptions llm, HttpClient http)
    {
        var client = new AnthropicClient
        {
            ApiKey = llm.ApiKey,
            BaseUrl = AnthropicBaseUrl(llm.EffectiveBaseUrl!),
            // Retries are the resilience handler's (429 with Retry-After, 5xx, 529 overloaded); the SDK's own would multiply them.
            MaxRetries = 0,
            // The orchestrator's LLM_TIMEOUT ends a call first; the SDK's own deadline is only a backstop.
            Timeout = TimeSpan.FromSeconds(llm.RequestTimeout + 1),
            HttpClient = http,
        };
        return client.AsIChatClient(llm.EffectiveModel, defaultMaxOutputTokens: llm.MaxOutputTokens).AsChatCompletionService();
    }

    /// <summary>The SDK appends <c>/v1/messages</c>, so a base URL given with its <c>/v1</c> (as for the other providers) loses it.</summary>
    internal static string AnthropicBaseUrl(string baseUrl)
    {
        var trimmed = baseUrl.TrimEnd('/');
        return trimmed.EndsWith("/v1", StringComparison.OrdinalIgnoreCase) ? trimmed[..^3] : trimmed;
    }
}
