using System.Globalization;

namespace Agent.Core.Auditing;

/// <summary>The stored timestamp format: fixed-width ISO-8601 UTC text, readable in sqlite3 and sortable as a string.</summary>
public static class AuditTimestamp
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string ToText(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
