using System.Globalization;
using System.Text.Json;
using Agent.Core.Auditing;
using Microsoft.AspNetCore.Components;

namespace Agent.Web.Components.Pages;

/// <summary>Everything the audit holds for one run, reachable by URL.</summary>
public sealed partial class RunRecord
{
    [Inject] public required AuditQueries Audit { get; init; }

    [Parameter] public string Id { get; set; } = "";

    internal RunDetail? Run { get; private set; }
    internal bool Loaded { get; private set; }
    internal string ShortId => Id.Length > 8 ? Id[..8] : Id;

    protected override async Task OnParametersSetAsync()
    {
        Run = await Audit.GetRunAsync(Id);
        Loaded = true;
    }

    internal static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    internal static string? Raw(JsonElement? json) => json?.GetRawText();
}
