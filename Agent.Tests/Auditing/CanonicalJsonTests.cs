using System.Globalization;
using System.Text;
using Agent.Core.Auditing;

namespace Agent.Tests.Auditing;

/// <summary>
/// The canonical form is written straight to UTF-8; it must give the bytes of the reference form (keys in ordinal order,
/// only JSON's required escapes, the text encoded as a whole) for any text, odd characters and broken surrogates included.
/// </summary>
public sealed class CanonicalJsonTests
{
    public static TheoryData<string> Texts => new()
    {
        "",
        "plain ascii",
        "quote \" backslash \\ slash /",
        "controls \b\f\n\r\t \u0000 \u0001 \u001f and DEL \u007f",
        "non-ASCII é ü 漢字 and an emoji 😀",
        "lone high \ud800 then text",
        "lone high before an escape \ud800\"",
        "\udc00 lone low first",
        "pair split by nothing \ud83d\ude00\n\ud83d",
        new string('x', 100_000) + "\n" + new string('é', 50_000),
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void ToUtf8Bytes_AnyText_MatchesTheReferenceForm(string text)
    {
        var canonical = new CanonicalJson().Add("kind", "tool_execution").Add("seq", 42L).Add("output", text).Add("a", null).Add("Z", 1.5)
            .Add("bytes", new byte[] { 0, 1, 2, 250 }).Add("count", 7).Add("ü", text);

        var expected = Reference(new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["kind"] = "tool_execution",
            ["seq"] = 42L,
            ["output"] = text,
            ["a"] = null,
            ["Z"] = 1.5,
            ["bytes"] = new byte[] { 0, 1, 2, 250 },
            ["count"] = 7,
            ["ü"] = text,
        });

        Assert.Equal(expected, canonical.ToUtf8Bytes());
    }

    [Fact]
    public void Add_SameNameTwice_KeepsTheLaterValue()
    {
        var bytes = new CanonicalJson().Add("b", "first").Add("a", 1L).Add("b", "second").ToUtf8Bytes();

        Assert.Equal("{\"a\":1,\"b\":\"second\"}", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void NextHash_AfterABadPreviousHash_StillHashesTheNextEntryRight()
    {
        var canonical = new CanonicalJson().Add("kind", "request").Add("seq", 1L).ToUtf8Bytes();
        var expected = ChainSource.NextHash(ChainSource.GenesisHash, canonical);

        Assert.Throws<FormatException>(() => ChainSource.NextHash("not hex", canonical));

        Assert.Equal(expected, ChainSource.NextHash(ChainSource.GenesisHash, canonical));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([.. new byte[32], .. canonical])), expected);
    }

    /// <summary>The form as first written (a StringBuilder, then the whole text to UTF-8), kept here as the oracle.</summary>
    private static byte[] Reference(SortedDictionary<string, object?> members)
    {
        var json = new StringBuilder("{");
        var first = true;
        foreach (var (name, value) in members)
        {
            json.Append(first ? "" : ",");
            first = false;
            ReferenceString(json, name);
            json.Append(':');
            switch (value)
            {
                case null: json.Append("null"); break;
                case long or int: json.Append(Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)); break;
                case double number: json.Append(number.ToString("R", CultureInfo.InvariantCulture)); break;
                case byte[] bytes: ReferenceString(json, Convert.ToBase64String(bytes)); break;
                default: ReferenceString(json, (string)value); break;
            }
        }
        return Encoding.UTF8.GetBytes(json.Append('}').ToString());
    }

    private static void ReferenceString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (var c in value)
        {
            json.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        json.Append('"');
    }
}
