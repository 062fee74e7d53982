using System.Text.Json.Nodes;
using Agent.Core;
using Agent.Core.Llm;

namespace Agent.Tests.Llm;

/// <summary>The local planner's sentences about tool results; listings are read without building a node per entry.</summary>
public sealed class ResultDescriberTests
{
    [Fact]
    public void Describe_Listing_NamesEveryEntryWithDirectoriesMarked()
    {
        var result = Result("success", new JsonObject
        {
            ["path"] = ".",
            ["entries"] = new JsonArray(
                new JsonObject { ["name"] = "a.txt", ["type"] = "file", ["size"] = 3 },
                new JsonObject { ["name"] = "docs", ["type"] = "directory", ["size"] = null },
                new JsonObject { ["name"] = "é \"q\".md", ["type"] = "file", ["size"] = 1 }),
            ["count"] = 3,
            ["truncated"] = false,
        });

        Assert.Equal("The workspace contains 3 entries: a.txt, docs/, é \"q\".md.", ResultDescriber.Describe("list_dir", result));
    }

    [Fact]
    public void Describe_ListingOfASubdirectoryCutAtTheCap_SaysSoAndCountsAll()
    {
        var result = Result("success", new JsonObject
        {
            ["path"] = "docs",
            ["entries"] = new JsonArray(new JsonObject { ["name"] = "one", ["type"] = "file", ["size"] = 1 }),
            ["count"] = 1500,
            ["truncated"] = true,
        });

        Assert.Equal("'docs' contains 1500 entries: one (listing truncated).", ResultDescriber.Describe("list_dir", result));
    }

    [Fact]
    public void Describe_EmptyListing_SaysEmpty()
    {
        var result = Result("success", new JsonObject { ["path"] = "x", ["entries"] = new JsonArray(), ["count"] = 0, ["truncated"] = false });

        Assert.Equal("'x' is empty.", ResultDescriber.Describe("list_dir", result));
    }

    [Fact]
    public void Describe_FailedListing_SaysWhy()
    {
        var result = new JsonObject { ["status"] = "blocked", ["output"] = null, ["error"] = "Path escapes the workspace." }.ToJsonString(JsonDefaults.Compact);

        Assert.Equal("list_dir did not succeed (blocked): Path escapes the workspace.", ResultDescriber.Describe("list_dir", result));
    }

    [Fact]
    public void Describe_ListingCutByTheOutputCap_DescribesThePreview()
    {
        var capped = new JsonObject { ["truncated"] = true, ["original_length"] = 5000, ["preview"] = "{\"path\":\".\",\"entries\":[{\"name\":\"a" };

        var text = ResultDescriber.Describe("list_dir", Result("success", capped));

        Assert.StartsWith("list_dir: output cut to the first 33 of 5000 characters (MAX_OUTPUT_SIZE): ", text);
    }

    [Fact]
    public void Describe_NotJson_IsAnErrorWithoutDetails()
    {
        Assert.Equal("list_dir did not succeed (error): no details", ResultDescriber.Describe("list_dir", "not json"));
    }

    private static string Result(string status, JsonNode output) =>
        new JsonObject { ["status"] = status, ["output"] = output, ["error"] = null }.ToJsonString(JsonDefaults.Compact);
}
