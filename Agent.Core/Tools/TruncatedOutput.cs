using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agent.Core.Tools;

/// <summary>
/// Reads the executor's replacement for an output over MAX_OUTPUT_SIZE (<c>{"truncated": true, "original_length",
/// "preview"}</c>, the preview being the first characters of the output's JSON text) back into JSON: the prefix is
/// closed where it was cut, so whatever it held (a file's path and first lines) can be shown decoded.
/// </summary>
public sealed record TruncatedOutput(JsonNode? Preview, string PreviewText, int OriginalLength)
{
    /// <summary>Characters of the original JSON text that the preview does not hold.</summary>
    public int CutCharacters => Math.Max(0, OriginalLength - PreviewText.Length);

    public static TruncatedOutput? From(JsonNode? output)
    {
        if (output is not JsonObject capped || capped.Count != 3
            || capped["truncated"] is not JsonValue flag || !flag.TryGetValue<bool>(out var truncated) || !truncated
            || capped["preview"] is not JsonValue preview || !preview.TryGetValue<string>(out var text)
            || capped["original_length"] is not JsonValue length || !length.TryGetValue<int>(out var originalLength))
        {
            return null;
        }
        return new TruncatedOutput(Close(text), text, originalLength);
    }

    /// <summary>Parses a prefix of a JSON text by ending it where it stops: open strings and containers are closed, a half-written scalar is dropped.</summary>
    public static JsonNode? Close(string prefix)
    {
        var containers = new Stack<char>();
        var expectKey = false;
        var inString = false;
        var stringIsKey = false;
        var escaped = false;
        var literalStart = -1;
        var afterColon = false;
        var keyWithoutValue = false;
        for (var i = 0; i < prefix.Length; i++)
        {
            var c = prefix[i];
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                    afterColon = false;
                    keyWithoutValue = stringIsKey;
                }
                continue;
            }
            if (literalStart >= 0 && (c is ',' or '}' or ']' || char.IsWhiteSpace(c)))
            {
                literalStart = -1;
            }
            switch (c)
            {
                case '"':
                    inString = true;
                    stringIsKey = expectKey;
                    expectKey = false;
                    break;
                case '{':
                    containers.Push('}');
                    expectKey = true;
                    afterColon = false;
                    break;
                case '[':
                    containers.Push(']');
                    afterColon = false;
                    break;
                case '}' or ']':
                    if (containers.Count > 0)
                    {
                        containers.Pop();
                    }
                    break;
                case ':':
                    afterColon = true;
                    keyWithoutValue = false;
                    break;
                case ',':
                    expectKey = containers.TryPeek(out var top) && top == '}';
                    afterColon = false;
                    break;
                default:
                    if (!char.IsWhiteSpace(c) && literalStart < 0)
                    {
                        literalStart = i;
                        afterColon = false;
                    }
                    break;
            }
        }

        var text = new StringBuilder(prefix);
        if (inString)
        {
            DropIncompleteEscape(text);
            text.Append('"');
            if (stringIsKey)
            {
                text.Append(":null");
            }
        }
        else if (literalStart >= 0)
        {
            // "tru" or "12" may be the start of something else: replace it with null rather than guess.
            text.Length = literalStart;
            text.Append("null");
        }
        else if (afterColon)
        {
            text.Append("null");
        }
        else if (keyWithoutValue)
        {
            text.Append(":null");
        }
        else
        {
            TrimTrailingComma(text);
        }
        while (containers.Count > 0)
        {
            text.Append(containers.Pop());
        }
        try
        {
            return JsonNode.Parse(text.ToString());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void DropIncompleteEscape(StringBuilder text)
    {
        if (text.Length > 0 && char.IsHighSurrogate(text[^1]))
        {
            text.Length--;
        }
        // A \uXXXX escape cut before its fourth digit, or a lone backslash, would make the string invalid.
        var tail = text.ToString(Math.Max(0, text.Length - 6), Math.Min(6, text.Length));
        var escape = tail.LastIndexOf("\\u", StringComparison.Ordinal);
        if (escape >= 0 && tail.Length - escape < 6 && !IsEscapedBackslash(text, text.Length - tail.Length + escape))
        {
            text.Length -= tail.Length - escape;
        }
        var backslashes = 0;
        while (backslashes < text.Length && text[text.Length - 1 - backslashes] == '\\')
        {
            backslashes++;
        }
        if (backslashes % 2 == 1)
        {
            text.Length--;
        }
    }

    private static bool IsEscapedBackslash(StringBuilder text, int index)
    {
        var count = 0;
        for (var i = index - 1; i >= 0 && text[i] == '\\'; i--)
        {
            count++;
        }
        return count % 2 == 1;
    }

    private static void TrimTrailingComma(StringBuilder text)
    {
        var end = text.Length;
        while (end > 0 && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }
        if (end > 0 && text[end - 1] == ',')
        {
            text.Length = end - 1;
        }
    }
}
