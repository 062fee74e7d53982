using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Agent.Core.Auditing;

/// <summary>
/// The bytes an audit-chain hash covers: a JSON object with keys in ordinal order, no whitespace, and only the escapes
/// JSON requires (quote, backslash, control characters). Written by hand so the hashes never depend on a serializer's
/// escaping choices, which may change between .NET versions. Every audit entry goes through here, so the UTF-8 is
/// written straight into a reused buffer: the returned array is the only allocation that grows with the content.
/// </summary>
internal sealed class CanonicalJson
{
    private const int MaxKeptBuffer = 256 * 1024;

    // What a JSON string cannot hold as is: the quote, the backslash and the control characters.
    private static readonly SearchValues<char> Escaped = SearchValues.Create("\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f");

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    private readonly List<KeyValuePair<string, object?>> _members = new(16);

    /// <summary>Adds a member (a later value for the same name replaces it); values are null, <see cref="long"/>, <see cref="double"/>, text or bytes (as base64 text).</summary>
    public CanonicalJson Add(string name, object? value)
    {
        var member = new KeyValuePair<string, object?>(name, value is DBNull ? null : value);
        var index = _members.FindIndex(m => string.Equals(m.Key, name, StringComparison.Ordinal));
        if (index >= 0)
        {
            _members[index] = member;
        }
        else
        {
            _members.Add(member);
        }
        return this;
    }

    public byte[] ToUtf8Bytes()
    {
        _members.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var json = t_buffer ?? new ArrayBufferWriter<byte>(1024);
        t_buffer = null;
        try
        {
            Append(json, (byte)'{');
            for (var i = 0; i < _members.Count; i++)
            {
                if (i > 0)
                {
                    Append(json, (byte)',');
                }
                AppendString(json, _members[i].Key);
                Append(json, (byte)':');
                switch (_members[i].Value)
                {
                    case null:
                        AppendAscii(json, "null");
                        break;
                    case long or int or short or byte:
                        AppendAscii(json, Convert.ToInt64(_members[i].Value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                        break;
                    case double number:
                        AppendAscii(json, number.ToString("R", CultureInfo.InvariantCulture));
                        break;
                    case byte[] bytes:
                        // Base64 never needs an escape.
                        Append(json, (byte)'"');
                        var span = json.GetSpan(Base64.GetMaxEncodedToUtf8Length(bytes.Length));
                        Base64.EncodeToUtf8(bytes, span, out _, out var written);
                        json.Advance(written);
                        Append(json, (byte)'"');
                        break;
                    case var value:
                        AppendString(json, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                        break;
                }
            }
            Append(json, (byte)'}');
            return json.WrittenSpan.ToArray();
        }
        finally
        {
            json.ResetWrittenCount();
            t_buffer = json.Capacity > MaxKeptBuffer ? null : json;
        }
    }

    private static void Append(ArrayBufferWriter<byte> json, byte value)
    {
        json.GetSpan(1)[0] = value;
        json.Advance(1);
    }

    private static void AppendAscii(ArrayBufferWriter<byte> json, string ascii)
    {
        var span = json.GetSpan(ascii.Length);
        for (var i = 0; i < ascii.Length; i++)
        {
            span[i] = (byte)ascii[i];
        }
        json.Advance(ascii.Length);
    }

    /// <summary>
    /// The text between escapes is encoded as one run, so a surrogate pair is never split and a lone surrogate becomes
    /// U+FFFD exactly as when the whole text was encoded at once.
    /// </summary>
    private static void AppendString(ArrayBufferWriter<byte> json, string value)
    {
        Append(json, (byte)'"');
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            var stop = rest.IndexOfAny(Escaped);
            var run = stop < 0 ? rest : rest[..stop];
            if (!run.IsEmpty)
            {
                var written = Encoding.UTF8.GetBytes(run, json.GetSpan(Encoding.UTF8.GetMaxByteCount(run.Length)));
                json.Advance(written);
            }
            if (stop < 0)
            {
                break;
            }
            AppendEscape(json, rest[stop]);
            rest = rest[(stop + 1)..];
        }
        Append(json, (byte)'"');
    }

    private static void AppendEscape(ArrayBufferWriter<byte> json, char c)
    {
        switch (c)
        {
            case '"': AppendAscii(json, "\\\""); break;
            case '\\': AppendAscii(json, "\\\\"); break;
            case '\b': AppendAscii(json, "\\b"); break;
            case '\f': AppendAscii(json, "\\f"); break;
            case '\n': AppendAscii(json, "\\n"); break;
            case '\r': AppendAscii(json, "\\r"); break;
            case '\t': AppendAscii(json, "\\t"); break;
            default: AppendAscii(json, "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
        }
    }
}
