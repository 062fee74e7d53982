using System.Globalization;
using System.Text;

namespace Agent.Core.Auditing;

/// <summary>
/// The bytes an audit-chain hash covers: a JSON object with keys in ordinal order, no whitespace, and only the escapes
/// JSON requires (quote, backslash, control characters). Written by hand so the hashes never depend on a serializer's
/// escaping choices, which may change between .NET versions.
/// </summary>
internal sealed class CanonicalJson
{
    private readonly SortedDictionary<string, object?> _members = new(StringComparer.Ordinal);

    /// <summary>Adds a member; values are null, <see cref="long"/>, <see cref="double"/>, text or bytes (as base64 text).</summary>
    public CanonicalJson Add(string name, object? value)
    {
        _members[name] = value is DBNull ? null : value;
        return this;
    }

    public byte[] ToUtf8Bytes()
    {
        var json = new StringBuilder(256);
        json.Append('{');
        var first = true;
        foreach (var (name, value) in _members)
        {
            if (!first)
            {
                json.Append(',');
            }
            first = false;
            AppendString(json, name);
            json.Append(':');
            switch (value)
            {
                case null:
                    json.Append("null");
                    break;
                case long or int or short or byte:
                    json.Append(Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                    break;
                case double number:
                    json.Append(number.ToString("R", CultureInfo.InvariantCulture));
                    break;
                case byte[] bytes:
                    AppendString(json, Convert.ToBase64String(bytes));
                    break;
                default:
                    AppendString(json, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                    break;
            }
        }
        json.Append('}');
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    private static void AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case < ' ': json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: json.Append(c); break;
            }
        }
        json.Append('"');
    }
}
