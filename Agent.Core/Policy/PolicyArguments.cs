using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agent.Core.Policy;

/// <summary>Reads the facts rules match on from raw, not yet validated arguments, refusing any shape it cannot trust.</summary>
internal static class PolicyArguments
{
    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>
    /// The workspace-relative path after lexical normalisation (<c>./a//b/../c</c> → <c>a/c</c>, empty → <c>.</c>), so
    /// that spelling a path differently never slips past a rule. Null for paths the file tools refuse anyway
    /// (absolute, <c>~</c>, backslashes, NUL, percent-encoding, escaping the root).
    /// </summary>
    public static string? NormalizePath(string? raw)
    {
        if (raw is null || raw.StartsWith('/') || raw.StartsWith('~') || raw.AsSpan().IndexOfAny('\\', '\0', '%') >= 0)
        {
            return null;
        }
        var segments = new List<string>();
        foreach (var segment in raw.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }
            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    return null;
                }
                segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(segment);
        }
        return segments.Count == 0 ? "." : string.Join('/', segments);
    }

    /// <summary>The host an http(s) URL names, as <c>http_get</c> checks it: IDN in punycode, lower case, no trailing dot.</summary>
    public static string? Host(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.IdnHost.Length > 0
            ? uri.IdnHost.TrimEnd('.').ToLowerInvariant()
            : null;

    /// <summary><c>command</c> followed by <c>args</c>, or null when either is not text.</summary>
    public static IReadOnlyList<string>? CommandLine(string? command, JsonNode? args)
    {
        if (command is null)
        {
            return null;
        }
        var line = new List<string> { command };
        if (args is null)
        {
            return line;
        }
        if (args is not JsonArray array)
        {
            return null;
        }
        foreach (var item in array)
        {
            if (Text(item) is not { } text)
            {
                return null;
            }
            line.Add(text);
        }
        return line;
    }

    /// <summary>Splits a configured command line into words (<c>"git  status"</c> → <c>git</c>, <c>status</c>).</summary>
    public static string[] Words(string commandLine) => commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
