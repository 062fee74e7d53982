using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Agent.Core.Llm;

/// <summary>
/// Turns a plain-English instruction into built-in tool calls, clause by clause ("list the files and read README.md").
/// Deterministic and offline; a clause it cannot map is reported back, never guessed.
/// </summary>
public static partial class InstructionParser
{
    public const string Help =
        "I could not map that instruction to a tool. I am the offline local planner and I understand: " +
        "\"list the files [in DIR]\", \"read FILE [, first N lines]\", \"search for TEXT [in DIR or *.ext]\", " +
        "\"find files named PATTERN [in DIR]\", \"write 'TEXT' to FILE\" and \"check your health\"; " +
        "combine them with \"and\" or \"then\". Set LLM_PROVIDER and LLM_API_KEY to use a full language model.";

    private const char QuoteMark = '\u0001';

    /// <summary>The calls for every clause understood, and the clauses that were not.</summary>
    public static ParsedInstruction Analyse(string instruction)
    {
        var (masked, quotes) = MaskQuotes(instruction ?? "");
        var calls = new List<PlannedCall>();
        var unmatched = new List<string>();
        foreach (var part in Clauses().Split(masked))
        {
            var clause = Tidy(part);
            if (clause.Length == 0)
            {
                continue;
            }
            if (ParseClause(clause, quotes) is { } call)
            {
                calls.Add(call);
            }
            else
            {
                unmatched.Add(Unmask(clause, quotes, keepQuotes: true));
            }
        }
        return new ParsedInstruction(calls, unmatched);
    }

    private static PlannedCall? ParseClause(string clause, IReadOnlyList<string> quotes)
    {
        if (HealthRequest().IsMatch(clause))
        {
            return new PlannedCall("health_check", []);
        }
        if (FirstMatch(clause, WriteToFileRequest(), WriteRequest(), CreateFileRequest()) is { } write)
        {
            return new PlannedCall("write_file", new JsonObject
            {
                ["path"] = CleanPath(Unmask(write.Groups["path"].Value, quotes)),
                ["content"] = Unmask(write.Groups["content"].Value, quotes),
            });
        }
        if (FirstMatch(clause, FindByNameRequest(), FindGlobRequest()) is { } find)
        {
            var arguments = new JsonObject { ["pattern"] = Unmask(find.Groups["pattern"].Value, quotes) };
            if (find.Groups["path"].Success)
            {
                arguments["path"] = CleanPath(Unmask(find.Groups["path"].Value, quotes));
            }
            return new PlannedCall("search_files", arguments);
        }
        if (FirstMatch(clause, SearchRequest(), SearchInRequest()) is { } search)
        {
            var arguments = new JsonObject { ["query"] = Unmask(search.Groups["query"].Value, quotes) };
            if (search.Groups["target"].Success)
            {
                AddSearchTarget(arguments, Unmask(search.Groups["target"].Value, quotes));
            }
            return new PlannedCall("search_files", arguments);
        }
        if (FirstMatch(clause, ListRequest(), WhatIsInRequest()) is { } list)
        {
            var path = list.Groups["path"].Success ? CleanPath(Unmask(list.Groups["path"].Value, quotes)) : ".";
            // "show notes.txt", "what's in notes.txt": a file is read, not listed.
            return LooksLikeFile(path)
                ? new PlannedCall("read_file", new JsonObject { ["path"] = path })
                : new PlannedCall("list_dir", new JsonObject { ["path"] = path });
        }
        if (ReadRequest().Match(clause) is { Success: true } read)
        {
            var arguments = new JsonObject { ["path"] = CleanPath(Unmask(read.Groups["path"].Value, quotes)) };
            var lines = read.Groups["lines"].Success ? read.Groups["lines"].Value
                : read.Groups["leading"].Success ? read.Groups["leading"].Value : null;
            if (lines is not null && Number(lines) is { } maxLines)
            {
                arguments["max_lines"] = maxLines;
            }
            return new PlannedCall("read_file", arguments);
        }
        return null;
    }

    private static Match? FirstMatch(string clause, params Regex[] patterns) =>
        patterns.Select(p => p.Match(clause)).FirstOrDefault(m => m.Success);

    /// <summary>"in *.md" is a name pattern, "in docs" a directory, "in docs/*.md" both.</summary>
    private static void AddSearchTarget(JsonObject arguments, string target)
    {
        target = CleanPath(target);
        var slash = target.LastIndexOf('/');
        var last = slash >= 0 ? target[(slash + 1)..] : target;
        if (IsPattern(last))
        {
            arguments["pattern"] = last;
            if (slash > 0)
            {
                arguments["path"] = target[..slash];
            }
        }
        else
        {
            arguments["path"] = target;
        }
    }

    private static bool IsPattern(string name) => name.Contains('*') || name.Contains('?') || LooksLikeFile(name);

    private static bool LooksLikeFile(string path) => FileName().IsMatch(path);

    /// <summary>Workspace-relative path without quotes, articles or a trailing "folder"; the workspace itself is ".".</summary>
    private static string CleanPath(string path)
    {
        var cleaned = path.Trim().Trim('\'', '"', '`').Trim();
        cleaned = PathNoise().Replace(cleaned, "").Trim();
        cleaned = cleaned.TrimEnd('/');
        return cleaned.Length == 0 || WorkspaceWords().IsMatch(cleaned) ? "." : cleaned;
    }

    private static int? Number(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        var index = Array.IndexOf(NumberWords, text.ToLowerInvariant());
        return index > 0 ? index : text.Equals("fifty", StringComparison.OrdinalIgnoreCase) ? 50
            : text.Equals("hundred", StringComparison.OrdinalIgnoreCase) ? 100 : null;
    }

    private static readonly string[] NumberWords =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    ];

    /// <summary>Drops politeness and trailing punctuation: "Please, could you list the files?" → "list the files".</summary>
    private static string Tidy(string clause)
    {
        var text = clause.Trim().TrimEnd('.', '!', '?', ',', ';').Trim();
        string previous;
        do
        {
            previous = text;
            text = Politeness().Replace(text, "").Trim();
        }
        while (text != previous);
        return text.TrimEnd('.', '!', '?', ',').Trim();
    }

    /// <summary>Quoted text is set aside first, so that "write 'a and read b' to c" stays one clause.</summary>
    private static (string Masked, List<string> Quotes) MaskQuotes(string instruction)
    {
        var quotes = new List<string>();
        var masked = Quoted().Replace(instruction, match =>
        {
            quotes.Add(match.Groups["text"].Value);
            return $"{QuoteMark}{quotes.Count - 1}{QuoteMark}";
        });
        return (masked, quotes);
    }

    private static string Unmask(string text, IReadOnlyList<string> quotes, bool keepQuotes = false)
    {
        if (!text.Contains(QuoteMark))
        {
            return text.Trim();
        }
        var result = new StringBuilder();
        var parts = text.Split(QuoteMark);
        for (var i = 0; i < parts.Length; i++)
        {
            // Odd parts are quote indexes.
            result.Append(i % 2 == 1 && int.TryParse(parts[i], CultureInfo.InvariantCulture, out var index) && index < quotes.Count
                ? keepQuotes ? $"'{quotes[index]}'" : quotes[index]
                : parts[i]);
        }
        return keepQuotes ? result.ToString().Trim() : result.ToString();
    }

    private const string Verbs = "list|read|show|display|open|cat|view|print|check|search|grep|look|write|save|create|find|locate|what|which|tell|run|ls";

    [GeneratedRegex(@"\s*(?:,?\s+and\s+then\s+|,?\s+then\s+|;\s*|\.\s+|,?\s+and\s+(?=(?:also\s+)?(?:" + Verbs + @")\b)|,\s*(?=(?:" + Verbs + @")\b))", RegexOptions.IgnoreCase)]
    private static partial Regex Clauses();

    [GeneratedRegex(@"^(?:(?:please|kindly|also|now|first|then|next|finally|can\s+you|could\s+you|would\s+you|will\s+you|i\s+want\s+you\s+to|i'd\s+like\s+you\s+to|go\s+ahead\s+and)\b,?\s*|\s*,?\s*\bplease$)", RegexOptions.IgnoreCase)]
    private static partial Regex Politeness();

    [GeneratedRegex(@"(?<!\w)(?<q>['""`])(?<text>.*?)\k<q>(?!\w)")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^(?:(?:check|run|do|perform|get|show|report|give\s+me|what(?:'s|\s+is))\s+(?:a\s+|an\s+)?)?(?:(?:your|the|its|agent'?s?|system|server)\s+)*(?:health(?:\s*(?:check|status))?|health_check|status)(?:\s+of\s+(?:the\s+)?(?:agent|system|server))?$|^(?:are\s+you|is\s+the\s+(?:agent|server))\s+(?:ok|okay|healthy|alive|up|running|working)$|^how\s+are\s+you(?:\s+doing)?$|^ping$", RegexOptions.IgnoreCase)]
    private static partial Regex HealthRequest();

    // "write 'hello' to out.txt", "save hello world into notes/out.txt"
    [GeneratedRegex(@"^(?:write|save|put|store|append)\s+(?:the\s+(?:text|content|words?)\s+)?(?<content>.+?)\s+(?:to|into|in)\s+(?:the\s+)?(?:a\s+)?(?:new\s+)?(?:file\s+)?(?<path>\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex WriteRequest();

    // "write to out.txt: hello"
    [GeneratedRegex(@"^(?:write|save)\s+(?:to|into)\s+(?:the\s+)?(?:file\s+)?(?<path>[^\s:]+)\s*:\s*(?<content>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex WriteToFileRequest();

    // "create a file out.txt with 'hello'", "create out.txt containing hello"
    [GeneratedRegex(@"^(?:create|make)\s+(?:a\s+|the\s+)?(?:new\s+)?(?:file\s+)?(?:(?:named|called)\s+)?(?<path>\S+)\s+(?:with|containing)\s+(?:the\s+)?(?:(?:text|content|contents)\s+)?(?<content>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex CreateFileRequest();

    // "find files named *.txt", "search for files matching *.md in docs", "list all files called notes.txt"
    [GeneratedRegex(@"^(?:find|locate|search\s+for|look\s+for|list|show)\s+(?:me\s+)?(?:all\s+|any\s+)?(?:the\s+)?(?:files?|documents?)\s+(?:that\s+are\s+)?(?:named|called|matching|like|with\s+(?:the\s+)?name)\s+(?<pattern>\S+)(?:\s+(?:in|under|inside)\s+(?:the\s+)?(?<path>\S+(?:\s+(?:folder|directory|dir))?))?$", RegexOptions.IgnoreCase)]
    private static partial Regex FindByNameRequest();

    // "find *.txt", "find all *.md files in docs", "find notes.txt"
    [GeneratedRegex(@"^(?:(?:find|locate)\s+(?:me\s+)?(?:all\s+|any\s+)?(?:the\s+)?(?<pattern>\S*[*?]\S*|[\w.-]+\.\w+|\u0001\d+\u0001)|(?:list|show)\s+(?:me\s+)?(?:all\s+)?(?:the\s+)?(?<pattern>\S*[*?]\S*))(?:\s+files?)?(?:\s+(?:in|under|inside)\s+(?:the\s+)?(?<path>\S+(?:\s+(?:folder|directory|dir))?))?$", RegexOptions.IgnoreCase)]
    private static partial Regex FindGlobRequest();

    // "search for TODO in *.md", "grep TODO", "which files contain 'fix me'", "look for TODO in docs"
    [GeneratedRegex(@"^(?:(?:search|grep|look)\s+(?:for\s+)?(?:(?:the\s+)?(?:text|word|string|term|phrase)\s+)?|(?:find|locate)\s+(?:the\s+)?(?:(?:text|word|string|term|phrase|occurrences\s+of|mentions\s+of)\s+)?(?!(?:all\s+|any\s+)?(?:files?|documents?)\b)|(?:which|what)\s+files\s+(?:contains?|mentions?|includes?)\s+)(?<query>\u0001\d+\u0001|\S+)(?:\s+(?:in|inside|within|across|under)\s+(?:the\s+)?(?:files?\s+)?(?<target>\S+)(?:\s+(?:files|folder|directory|dir))?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex SearchRequest();

    // "search docs for TODO", "search *.md for TODO"
    [GeneratedRegex(@"^(?:search|grep)\s+(?:in\s+)?(?:the\s+)?(?<target>\S+)(?:\s+(?:files|folder|directory|dir))?\s+for\s+(?<query>\u0001\d+\u0001|\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex SearchInRequest();

    // "list the files in docs", "show me what's in the workspace", "ls docs", "list docs"
    [GeneratedRegex(@"^(?:list|show|display|ls|dir)\b(?:\s+(?:me|all|everything|of|the|files|and|folders|directories|entries|contents?|directory|dir|folder|workspace)\b)*(?:(?:\s+(?:in|of|under|inside|within|from)(?:\s+the)?)?\s+(?<path>(?!\u0001)\S+(?:\s+(?:folder|directory|dir))?|\u0001\d+\u0001))?$", RegexOptions.IgnoreCase)]
    private static partial Regex ListRequest();

    // "what's in docs", "what is inside notes.txt", "what files are in docs"
    [GeneratedRegex(@"^what(?:'s|\s+is|\s+files\s+are|\s+are\s+the\s+files)\s+(?:in|inside)\s+(?:the\s+)?(?<path>\S+(?:\s+(?:folder|directory|dir))?)$", RegexOptions.IgnoreCase)]
    private static partial Regex WhatIsInRequest();

    // "read notes.txt, first 20 lines", "show me the first 5 lines of notes.txt", "cat docs/a.md", "open the file x.txt"
    [GeneratedRegex(@"^(?:read|open|show|display|cat|view|print|get)\s+(?:me\s+)?(?:the\s+)?(?:(?:first|top)\s+(?<leading>\d+|[a-z]+)\s+lines?\s+(?:of|from|in)\s+)?(?:the\s+)?(?:(?:contents?|text)\s+of\s+)?(?:the\s+)?(?:file\s+)?(?<path>\u0001\d+\u0001|[\w./-]+)(?:\s*[,:(-]?\s*(?:(?:only|just)\s+)?(?:the\s+)?(?:first|top|up\s+to|at\s+most|max(?:imum)?)\s+(?<lines>\d+|[a-z]+)\s+lines?\)?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex ReadRequest();

    [GeneratedRegex(@"(?:^|/)[\w-][\w.-]*\.\w{1,8}$")]
    private static partial Regex FileName();

    [GeneratedRegex(@"^(?:the\s+)|\s+(?:folder|directory|dir)$", RegexOptions.IgnoreCase)]
    private static partial Regex PathNoise();

    [GeneratedRegex(@"^(?:\.|\./|workspace|the\s+workspace|root|current\s+(?:directory|folder)|here)$", RegexOptions.IgnoreCase)]
    private static partial Regex WorkspaceWords();
}

/// <summary>What the parser made of an instruction.</summary>
public sealed record ParsedInstruction(IReadOnlyList<PlannedCall> Calls, IReadOnlyList<string> Unmatched);
