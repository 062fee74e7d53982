using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Agent.Core.Llm;

/// <summary>
/// Semantic Kernel's OpenAI connector sends the output limit as <c>max_completion_tokens</c>, which OpenAI and Groq read
/// but Ollama ignores (it reads only <c>max_tokens</c>). For Ollama the field is renamed; for an unknown OpenAI-compatible
/// server both are sent, so whichever it knows applies. The body is copied token by token, nested values as raw bytes:
/// every turn of every run passes here, and building a tree of the whole request (messages and tool schemas) for one
/// top-level field cost more than the rest of the call's own serialisation.
/// </summary>
internal sealed class MaxTokensFieldHandler(string provider) : DelegatingHandler
{
    private static ReadOnlySpan<byte> Current => "max_completion_tokens"u8;
    private static ReadOnlySpan<byte> Legacy => "max_tokens"u8;

    /// <summary>Bodies up to this size are copied into a buffer of their announced length at once.</summary>
    private const long MaxPresizedBody = 16 * 1024 * 1024;

    public static bool AppliesTo(string provider) => provider is LlmProviders.Ollama or LlmProviders.OpenAiCompatible;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (AppliesTo(provider) && request.Content is { } content && request.RequestUri?.AbsolutePath.EndsWith("/chat/completions", StringComparison.Ordinal) == true)
        {
            // Copied out, not buffered inside the content (which would then hold a copy of the body for the whole call,
            // and ReadAsByteArrayAsync a second): only the rewritten body stays alive while the model answers.
            var length = content.Headers.ContentLength;
            using var body = new MemoryStream(length is > 0 and <= MaxPresizedBody ? (int)length : 0);
            await content.CopyToAsync(body, cancellationToken);
            if (Rewrite(body.GetBuffer().AsSpan(0, (int)body.Length), keepCurrent: provider != LlmProviders.Ollama) is { } rewritten)
            {
                var replacement = new ReadOnlyMemoryContent(rewritten);
                replacement.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Content = replacement;
            }
        }
        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// The body with <c>max_tokens</c> carrying <c>max_completion_tokens</c>'s value (and the latter dropped unless
    /// <paramref name="keepCurrent"/>), or null when the body is not a JSON object holding <c>max_completion_tokens</c>.
    /// </summary>
    internal static ReadOnlyMemory<byte>? Rewrite(ReadOnlySpan<byte> body, bool keepCurrent)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            var output = new ArrayBufferWriter<byte>(body.Length + 32);
            var found = false;
            using (var writer = new Utf8JsonWriter(output))
            {
                writer.WriteStartObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isCurrent = reader.ValueTextEquals(Current);
                    // A legacy field already there is replaced by the current one's value, as before.
                    var isLegacy = reader.ValueTextEquals(Legacy);
                    var name = reader.ValueIsEscaped ? null : reader.ValueSpan;
                    var escapedName = reader.ValueIsEscaped ? reader.GetString() : null;
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    var value = body[start..(int)reader.BytesConsumed];
                    if (isLegacy)
                    {
                        continue;
                    }
                    if (isCurrent)
                    {
                        found = true;
                        if (keepCurrent)
                        {
                            writer.WritePropertyName(Current);
                            writer.WriteRawValue(value, skipInputValidation: true);
                        }
                        writer.WritePropertyName(Legacy);
                        writer.WriteRawValue(value, skipInputValidation: true);
                        continue;
                    }
                    if (escapedName is not null)
                    {
                        writer.WritePropertyName(escapedName);
                    }
                    else
                    {
                        writer.WritePropertyName(name);
                    }
                    writer.WriteRawValue(value, skipInputValidation: true);
                }
                writer.WriteEndObject();
            }
            return found ? output.WrittenMemory : (ReadOnlyMemory<byte>?)null;
        }
        catch (JsonException)
        {
            // Not JSON: sent as it came, and the provider says what is wrong with it.
            return null;
        }
    }
}
