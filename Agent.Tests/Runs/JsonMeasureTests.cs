using System.Text;
using System.Text.Json.Nodes;
using Agent.Core;

namespace Agent.Tests.Runs;

/// <summary>
/// JsonMeasure sizes a value as stored and keeps a preview; its cost follows what is written, not the preview limit,
/// which on the run path is a whole run's output budget.
/// </summary>
public sealed class JsonMeasureTests
{
    [Fact]
    public void Of_SmallValueWithAHugePreviewLimit_AllocatesAboutTheValueNotTheLimit()
    {
        var listing = new JsonObject { ["path"] = ".", ["entries"] = new JsonArray([.. Enumerable.Range(0, 100).Select(i => (JsonNode)$"file-{i:D3}.txt")]) };
        JsonMeasure.Of(listing, 64_000_000);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var extent = JsonMeasure.Of(listing, 64_000_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(Encoding.UTF8.GetByteCount(listing.ToJsonString(JsonDefaults.Compact)), extent.Bytes);
        Assert.Equal(listing.ToJsonString(JsonDefaults.Compact), extent.Preview);
        Assert.InRange(allocated, 0, 64 * 1024);
    }

    [Fact]
    public void Of_ValueLongerThanThePreview_KeepsTheStartCutOnAWholeCharacter()
    {
        // 'é' is two bytes in UTF-8; the preview limit falls in the middle of one after the opening quote.
        var text = new string('é', 20_000);
        var node = JsonValue.Create(text);

        var extent = JsonMeasure.Of(node, 10_000);

        Assert.Equal(2 + 40_000, extent.Bytes);
        Assert.Equal("\"" + new string('é', 4_999), extent.Preview);
    }

    [Fact]
    public void Of_PreviewAcrossManyWriterBuffers_IsTheExactStartOfTheText()
    {
        var items = new JsonArray([.. Enumerable.Range(0, 5_000).Select(i => (JsonNode)new JsonObject { ["n"] = i, ["name"] = $"entry-{i}" })]);
        var whole = items.ToJsonString(JsonDefaults.Compact);

        var extent = JsonMeasure.Of(items, 50_000);

        Assert.Equal(Encoding.UTF8.GetByteCount(whole), extent.Bytes);
        Assert.Equal(whole[..50_000], extent.Preview);
    }
}
