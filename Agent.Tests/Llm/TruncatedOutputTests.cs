using System.Text.Json.Nodes;
using Agent.Core.Llm;
using Agent.Core.Tools;

namespace Agent.Tests.Llm;

public sealed class TruncatedOutputTests
{
    private static readonly string Original = new JsonObject
    {
        ["path"] = "docs/big file.txt",
        ["content"] = "line 1\nline \"2\" \\ é 😀\n" + new string('x', 400),
        ["size"] = 420,
        ["line_count"] = 3,
    }.ToJsonString();

    [Fact]
    public void Close_EveryPrefixOfARealOutput_ParsesAndKeepsWhatWasWhole()
    {
        for (var length = 1; length < 80; length++)
        {
            var preview = Original[..length];

            var node = TruncatedOutput.Close(preview);

            Assert.True(node is JsonObject, $"prefix of {length} chars did not decode: {preview}");
            if (length > Original.IndexOf(",\"content\"", StringComparison.Ordinal))
            {
                Assert.Equal("docs/big file.txt", (string?)node!["path"]);
            }
        }
    }

    [Theory]
    [InlineData("{\"a\":\"x\\", "x")]
    [InlineData("{\"a\":\"x\\u00", "x")]
    [InlineData("{\"a\":\"x\\n", "x\n")]
    [InlineData("{\"a\":\"x\\\\", "x\\")]
    public void Close_CutInsideAnEscape_DropsOnlyTheHalfEscape(string preview, string expected)
    {
        Assert.Equal(expected, (string?)TruncatedOutput.Close(preview)!["a"]);
    }

    [Theory]
    [InlineData("{\"a\":tru")]
    [InlineData("{\"a\":12")]
    [InlineData("{\"a\":")]
    [InlineData("{\"a")]
    public void Close_CutInsideAScalarOrKey_GivesNullNotAGuess(string preview)
    {
        var node = TruncatedOutput.Close(preview) as JsonObject;

        Assert.NotNull(node);
        Assert.Null(node.First().Value);
    }

    [Fact]
    public void Describe_TruncatedRead_NamesTheFileTheCountsAndTheFirstLines()
    {
        var capped = new JsonObject { ["truncated"] = true, ["original_length"] = Original.Length, ["preview"] = Original[..70] };
        var result = new JsonObject { ["status"] = "success", ["output"] = capped }.ToJsonString();

        var answer = ResultDescriber.Describe("read_file", result);

        Assert.StartsWith($"docs/big file.txt (output cut to the first 70 of {Original.Length} characters (MAX_OUTPUT_SIZE)):\nline 1\nline \"2\"", answer);
        Assert.DoesNotContain("( lines", answer);
    }
}
