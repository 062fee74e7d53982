namespace Agent.Web.Components.Dashboard;

/// <summary>Axis arithmetic for the dashboard charts: "nice" linear ticks and a log scale that keeps small values visible.</summary>
public static class ChartScale
{
    /// <summary>About <paramref name="count"/> round ticks (1, 2 or 5 × 10ⁿ apart) from 0 to at least <paramref name="max"/>.</summary>
    public static IReadOnlyList<double> Ticks(double max, int count = 4)
    {
        if (max <= 0)
        {
            return [0, 1];
        }
        var raw = max / count;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1d, 2d, 5d, 10d }.Select(f => f * magnitude).First(s => s >= raw);
        // Counts are whole numbers: a step below 1 would label 0.5 runs.
        step = Math.Max(1, step);
        var top = Math.Ceiling(max / step) * step;
        var ticks = new List<double>();
        for (var tick = 0d; tick <= top + step / 2; tick += step)
        {
            ticks.Add(tick);
        }
        return ticks;
    }

    /// <summary>Share of the full width for <paramref name="value"/> on a log scale up to <paramref name="max"/> (0–100).</summary>
    public static double LogPercent(double value, double max) =>
        max <= 0 || value <= 0 ? 0 : Math.Round(100 * Math.Log10(1 + value) / Math.Log10(1 + max), 2);
}
