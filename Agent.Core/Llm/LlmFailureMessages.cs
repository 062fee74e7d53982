using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.SemanticKernel;
using Polly.CircuitBreaker;

namespace Agent.Core.Llm;

/// <summary>One readable line for a failed model call: what the provider said, without anything that could carry the key.</summary>
public static class LlmFailureMessages
{
    private const int MaxProviderMessage = 300;

    public static string Describe(Exception ex, string provider, int attempts) => ex switch
    {
        HttpOperationException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden } http =>
            // The provider's text can echo part of the key, so it is not repeated.
            $"the {provider} provider refused the credentials (HTTP {(int)http.StatusCode!}); check LLM_API_KEY.",
        HttpOperationException { StatusCode: { } code } http when IsRetried(code) =>
            $"the {provider} provider answered HTTP {(int)code} ({code}) after {attempts} attempt(s){ProviderSays(http)}.",
        HttpOperationException { StatusCode: { } code } http =>
            $"the {provider} provider answered HTTP {(int)code} ({code}){ProviderSays(http)}.",
        HttpOperationException or HttpRequestException =>
            $"the {provider} provider could not be reached after {attempts} attempt(s) ({Innermost(ex).Message}).",
        BrokenCircuitException => $"the {provider} provider failed repeatedly; calls are paused for a moment (circuit open).",
        _ => ex.Message,
    };

    private static bool IsRetried(HttpStatusCode code) =>
        code is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)code >= 500;

    /// <summary>The <c>error.message</c> of an OpenAI-format error body, shortened.</summary>
    private static string ProviderSays(HttpOperationException http)
    {
        if (string.IsNullOrWhiteSpace(http.ResponseContent))
        {
            return "";
        }
        try
        {
            var message = (JsonNode.Parse(http.ResponseContent)?["error"]?["message"] as JsonValue)?.GetValue<string>()?.Trim().TrimEnd('.');
            if (string.IsNullOrWhiteSpace(message))
            {
                return "";
            }
            return message.Length > MaxProviderMessage ? $": {message[..MaxProviderMessage]}…" : $": {message}";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return "";
        }
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }
        return ex;
    }
}
