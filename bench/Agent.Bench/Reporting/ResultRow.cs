namespace Agent.Bench.Reporting;

/// <summary>
/// One measured figure next to its baseline. <see cref="Met"/> is null when the figure has no target.
/// Values are already in their display unit (<see cref="Unit"/>).
/// </summary>
public sealed record ResultRow(
    string Figure,
    double? Value,
    string Unit,
    double? Baseline = null,
    string? BaselineLabel = null,
    string? Target = null,
    bool? Met = null,
    string? Note = null)
{
    /// <summary>value / baseline when both are known.</summary>
    public double? Ratio => Value is { } v && Baseline is { } b && b != 0 ? v / b : null;
}
