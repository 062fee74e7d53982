using System.Globalization;

namespace Agent.Bench.AuditSearch;

/// <summary>
/// What the seeded history looks like, so that every search case knows how selective it is: runs spread evenly over
/// <see cref="Span"/>, 5 % error and 10 % tool_error, 1 % of runs call the rare tool, 0.1 % mention the rare word.
/// </summary>
public sealed class SeedPlan(int requests, int executionsPerRequest, DateTimeOffset end)
{
    public const string RareTool = "http_get";
    public const string RareWord = "quarterly";
    public static readonly TimeSpan Span = TimeSpan.FromDays(10);

    private static readonly string[] CommonTools = ["list_dir", "read_file", "search_files", "health_check"];
    private static readonly string[] Inputs =
    [
        "List the files in the workspace",
        "Read notes.txt, first 20 lines",
        "Search for TODO in the docs folder",
        "Check your health",
        "List the files in docs",
        "Read README.md",
    ];

    public int Requests { get; } = requests;
    public int ExecutionsPerRequest { get; } = executionsPerRequest;
    public int Executions => Requests * ExecutionsPerRequest;
    public DateTimeOffset Start { get; } = end - Span;
    public DateTimeOffset End { get; } = end;

    public DateTimeOffset CreatedAt(int request) => Start + (Span * request / Requests);

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static string Status(int request) => request % 20 == 0 ? "error" : request % 10 == 3 ? "tool_error" : "success";

    public static string Source(int request) => request % 10 == 7 ? "console" : "api";

    public static string Input(int request) =>
        request % 1000 == 0 ? $"Summarise the {RareWord} revenue report in reports/q{request % 4 + 1}.md" : Inputs[request % Inputs.Length];

    public static string ToolName(int request, int execution) =>
        request % 100 == 42 && execution == 3 ? RareTool : CommonTools[(request + execution) % CommonTools.Length];

    public static string ExecutionStatus(int request, int execution) =>
        Status(request) == "tool_error" && execution == 1 ? "error" : "success";
}
