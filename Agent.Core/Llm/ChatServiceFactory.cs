using Agent.Core.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace Agent.Core.Llm;

/// <summary>Builds the configured model: the local planner, or Semantic Kernel's OpenAI connector for every remote provider.</summary>
public static class ChatServiceFactory
{
    public const string HttpClientName = "llm";

    public static IChatCompletionService Create(IOptions<LlmOptions> options, IHttpClientFactory httpClients)
    {
        var llm = options.Value;
        var provider = LlmProviders.All[llm.EffectiveProvider];
        if (provider.Name == LlmProviders.Local)
        {
            return new LocalPlanner();
        }
        var endpoint = new Uri(llm.EffectiveBaseUrl!);
        return new OpenAIChatCompletionService(
            llm.EffectiveModel,
            endpoint,
            // Keyless local servers (ollama) still need a non-empty key for the client library.
            string.IsNullOrWhiteSpace(llm.ApiKey) ? "no-key" : llm.ApiKey,
            httpClient: httpClients.CreateClient(HttpClientName));
    }
}
