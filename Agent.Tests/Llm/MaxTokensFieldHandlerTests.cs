using System.Text;
using System.Text.Json.Nodes;
using Agent.Core.Llm;

namespace Agent.Tests.Llm;

/// <summary>
/// The output-limit rewrite copies the request token by token: only the top-level limit fields change, and everything
/// else (nested fields of the same name, escaped strings, numbers as written) reaches the provider byte for byte.
/// </summary>
public sealed class MaxTokensFieldHandlerTests
{
    private const string Body =
        """{"model":"m","messages":[{"role":"user","content":"say \"hi\" \u00e9\n<b>&amp;"}],"max_completion_tokens":512""" +
        ""","tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"max_tokens":{"type":"integer"}}}}}],"temperature":0.70}""";

    [Fact]
    public void Rewrite_UnknownCompatibleServer_AddsLegacyFieldAndKeepsTheRestByteForByte()
    {
        var rewritten = Text(MaxTokensFieldHandler.Rewrite(Encoding.UTF8.GetBytes(Body), keepCurrent: true));

        Assert.Equal(Body.Replace("\"max_completion_tokens\":512,", "\"max_completion_tokens\":512,\"max_tokens\":512,", StringComparison.Ordinal), rewritten);
    }

    [Fact]
    public void Rewrite_Ollama_RenamesTheField()
    {
        var rewritten = Text(MaxTokensFieldHandler.Rewrite(Encoding.UTF8.GetBytes(Body), keepCurrent: false));

        Assert.Equal(Body.Replace("\"max_completion_tokens\":512,", "\"max_tokens\":512,", StringComparison.Ordinal), rewritten);
        var parsed = JsonNode.Parse(rewritten)!.AsObject();
        Assert.False(parsed.ContainsKey("max_completion_tokens"));
        // The nested schema property of the same name is a tool's parameter, not the limit: untouched.
        Assert.Equal("integer", parsed["tools"]![0]!["function"]!["parameters"]!["properties"]!["max_tokens"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Rewrite_LegacyFieldAlreadyPresent_TakesTheCurrentValueOnce()
    {
        var rewritten = Text(MaxTokensFieldHandler.Rewrite("""{"max_tokens":7,"max_completion_tokens":64}"""u8, keepCurrent: true));

        Assert.Equal("""{"max_completion_tokens":64,"max_tokens":64}""", rewritten);
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[]}""")]
    [InlineData("""[{"max_completion_tokens":5}]""")]
    [InlineData("""{"messages":[{"max_completion_tokens":5}]}""")]
    [InlineData("""not json""")]
    [InlineData("""{"max_completion_tokens":""")]
    public void Rewrite_NoTopLevelLimitOrNotAnObject_LeavesTheBodyAlone(string body) =>
        Assert.Null(MaxTokensFieldHandler.Rewrite(Encoding.UTF8.GetBytes(body), keepCurrent: true));

    private static string Text(ReadOnlyMemory<byte>? bytes)
    {
        Assert.NotNull(bytes);
        return Encoding.UTF8.GetString(bytes.Value.Span);
    }
}
