using System.Globalization;

namespace Agent.Bench.Infrastructure;

public static class Settings
{
    /// <summary>An integer from the environment, or the default when it is unset or not a positive number.</summary>
    public static int Int(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
}
