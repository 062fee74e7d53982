namespace Agent.Bench.Infrastructure;

/// <summary>Nearest-rank percentiles over a sample of durations in milliseconds.</summary>
public sealed class Percentiles
{
    private readonly double[] _sorted;

    public Percentiles(IEnumerable<double> values)
    {
        _sorted = [.. values];
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;
    public double Median => At(50);
    public double P95 => At(95);
    public double P99 => At(99);
    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

    public double At(double percent)
    {
        if (_sorted.Length == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(percent / 100.0 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }
}
