using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic.Exceptions;
using Microsoft.SemanticKernel;
using Polly.CircuitBreaker;

namespace Agent.Core.Llm;

/// <summary>What went wrong in a model call, whichever connector threw: unreachable, or an HTTP status with the provider's own message.</summary>
public sealed record LlmError(LlmErrorKind Kind, HttpStatusCode? StatusCode, string? ProviderMessage, string? ProviderCode, string Detail)
{
    private const int MaxProviderMessage = 300;

    /// <summary>Groq's code for a generation that failed to produce a valid tool call; often fine on a second try.</summary>
    public const string ToolUseFailedCode = "tool_use_failed";

    public static LlmError From(Exception exception) => exception switch
    {
        HttpOperationException { StatusCode: { } code } http => FromStatus(code, http.ResponseContent, http.Message),
        AnthropicApiException anthropic => FromStatus(anthropic.StatusCode, anthropic.ResponseBody, anthropic.ApiMessage ?? anthropic.Message),
        HttpOperationException or HttpRequestException or AnthropicIOException =>
            new(LlmErrorKind.Unreachable, null, null, null, Innermost(exception).Message),
        BrokenCircuitException => new(LlmErrorKind.CircuitOpen, null, null, null, exception.Message),
        _ when exception.InnerException is { } inner && inner is HttpOperationException or AnthropicException or HttpRequestException => From(inner),
        _ => new(LlmErrorKind.Other, null, null, null, exception.Message),
    };

    public bool IsToolUseFailed => StatusCode == HttpStatusCode.BadRequest && ProviderCode == ToolUseFailedCode;

    private static LlmError FromStatus(HttpStatusCode code, string? body, string fallback)
    {
        var (message, providerCode) = ReadBody(body);
        var kind = code switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => LlmErrorKind.Credentials,
            HttpStatusCode.NotFound => LlmErrorKind.UnknownModel,
            HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout => LlmErrorKind.Transient,
            _ when (int)code >= 500 => LlmErrorKind.Transient,
            _ => LlmErrorKind.Rejected,
        };
        return new(kind, code, message, providerCode, message ?? fallback);
    }

    /// <summary>
    /// <c>error.message</c> and <c>error.code</c> of an OpenAI-format body (<c>{"error":{"message","type","code"}}</c>) or an
    /// Anthropic one (<c>{"type":"error","error":{"type","message"}}</c>), the message shortened.
    /// </summary>
    private static (string? Message, string? Code) ReadBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }
        try
        {
            var error = JsonNode.Parse(body)?["error"];
            var message = (error?["message"] as JsonValue)?.GetValue<string>()?.Trim().TrimEnd('.');
            var code = (error?["code"] as JsonValue)?.GetValue<string>() ?? (error?["type"] as JsonValue)?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(message))
            {
                return (null, code);
            }
            return (message.Length > MaxProviderMessage ? $"{message[..MaxProviderMessage]}…" : message, code);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return (null, null);
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

public enum LlmErrorKind
{
    /// <summary>401 / 403: the key was refused.</summary>
    Credentials,

    /// <summary>404: the model (or the route) does not exist at the endpoint.</summary>
    UnknownModel,

    /// <summary>429, 408, 5xx (Anthropic's 529 overloaded included): retried, then reported.</summary>
    Transient,

    /// <summary>Any other 4xx: the provider refused the request as sent.</summary>
    Rejected,

    /// <summary>No HTTP answer at all: connection refused, DNS, TLS.</summary>
    Unreachable,

    CircuitOpen,
    Other,
}
