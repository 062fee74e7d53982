using System.Text;
using System.Text.Json.Nodes;

namespace Agent.Core.Llm;

/// <summary>
/// Semantic Kernel's OpenAI connector sends the output limit as <c>max_completion_tokens</c>, which OpenAI and Groq read
/// but Ollama ignores (it reads only <c>max_tokens</c>). For Ollama the field is renamed; for an unknown OpenAI-compatible
/// server both are sent, so whichever it knows applies.
/// </summary>
internal sealed class MaxTokensFieldHandler(string provider) : DelegatingHandler
{
    private const string Current = "max_completion_tokens";
    private const string Legacy = "max_tokens";

    public static bool AppliesTo(string provider) => provider is LlmProviders.Ollama or LlmProviders.OpenAiCompatible;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (AppliesTo(provider) && request.Content is not null && request.RequestUri?.AbsolutePath.EndsWith("/chat/completions", StringComparison.Ordinal) == true)
        {
            var text = await request.Content.ReadAsStringAsync(cancellationToken);
            if (JsonNode.Parse(text) is JsonObject body && body[Current] is { } limit)
            {
                body[Legacy] = limit.DeepClone();
                if (provider == LlmProviders.Ollama)
                {
                    body.Remove(Current);
                }
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }
        }
        return await base.SendAsync(request, cancellationToken);
    }
}
