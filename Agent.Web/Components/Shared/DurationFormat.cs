using System.Globalization;

namespace Agent.Web.Components.Shared;

/// <summary>The console's one duration format: "850 ms" under a second, "5.7 s" under a minute, "2 min 05 s" above.</summary>
public static class DurationFormat
{
    public static string Milliseconds(long? ms) => ms switch
    {
        null => "—",
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{ms} ms"),
        < 60_000 => string.Create(CultureInfo.InvariantCulture, $"{ms.Value / 1000.0:0.0} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{ms.Value / 60_000} min {ms.Value / 1000 % 60:00} s"),
    };

    public static string Of(TimeSpan span) => Milliseconds((long)span.TotalMilliseconds);
}
