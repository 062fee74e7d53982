using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Agent.Bench.Reporting;

/// <summary>Collects rows as benchmarks finish and writes them as a markdown table and as JSON.</summary>
public sealed class Report(string mode)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly List<ResultRow> _rows = [];
    private readonly List<string> _notes = [];

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public void Add(ResultRow row)
    {
        lock (_rows)
        {
            _rows.Add(row);
        }
        Console.WriteLine($"   {row.Figure}: {Format(row.Value)} {row.Unit}" + (row.Baseline is { } b ? $" (baseline {Format(b)})" : ""));
    }

    public void Note(string note)
    {
        _notes.Add(note);
        Console.WriteLine($"   note: {note}");
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Agent bench ({mode}), {StartedAt:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        text.AppendLine();
        text.AppendLine("| Figure | Value | Baseline | Ratio | Target | Met |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in _rows)
        {
            var baseline = row.Baseline is { } b ? $"{Format(b)} {row.Unit}" + (row.BaselineLabel is { } l ? $" ({l})" : "") : "—";
            var ratio = row.Ratio is { } r ? r.ToString(r >= 10 ? "0" : r >= 0.1 ? "0.00" : "0.0000", CultureInfo.InvariantCulture) : "—";
            var met = row.Met switch { true => "yes", false => "**no**", null => "—" };
            var value = $"{Format(row.Value)} {row.Unit}" + (row.Note is { } n ? $" ({n})" : "");
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Figure} | {value} | {baseline} | {ratio} | {row.Target ?? "—"} | {met} |");
        }
        if (_notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in _notes)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }
        return text.ToString();
    }

    public void Write(string directory, string name)
    {
        var document = new
        {
            Mode = mode,
            Date = StartedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            Cores = Environment.ProcessorCount,
            Os = Environment.OSVersion.ToString(),
            Dotnet = Environment.Version.ToString(),
            Rows = _rows.Select(r => new
            {
                r.Figure,
                Value = Round(r.Value),
                r.Unit,
                Baseline = Round(r.Baseline),
                r.BaselineLabel,
                Ratio = Round(r.Ratio),
                r.Target,
                r.Met,
                r.Note,
            }),
            Notes = _notes,
        };
        File.WriteAllText(Path.Combine(directory, $"{name}.json"), JsonSerializer.Serialize(document, Json));
        File.WriteAllText(Path.Combine(directory, $"{name}.md"), ToMarkdown());
    }

    private static double? Round(double? value) => value is { } v && double.IsFinite(v) ? Math.Round(v, 3) : null;

    private static string Format(double? value) => value switch
    {
        null => "—",
        { } v when !double.IsFinite(v) => "n/a",
        { } v when v == Math.Floor(v) && Math.Abs(v) < 1e9 => v.ToString("0", CultureInfo.InvariantCulture),
        { } v when Math.Abs(v) >= 100 => v.ToString("0", CultureInfo.InvariantCulture),
        { } v when Math.Abs(v) >= 10 => v.ToString("0.0", CultureInfo.InvariantCulture),
        { } v => v.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
