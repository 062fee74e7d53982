using System.Globalization;
using Agent.Core.Auditing;
using Agent.Core.Runs;
using Agent.Core.Tools;
using Agent.Web.Components.Audit;
using Agent.Web.Runs;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Agent.Web.Components.Pages;

/// <summary>
/// Server-side search over the audit store. Filters, sort and page live in the URL (reload and links keep them);
/// runs recorded since the page loaded are counted live; the chain status comes from the remembered verification.
/// </summary>
public sealed partial class AuditLog : IDisposable
{
    [Inject] public required IAuditSearch Search { get; init; }
    [Inject] public required ChainStatusMonitor ChainMonitor { get; init; }
    [Inject] public required ToolRegistry Registry { get; init; }
    [Inject] public required RunEventBroker Events { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }

    private MudDataGrid<RunSummary>? _grid;
    private IDisposable? _subscription;
    private static readonly TimeSpan RefreshThrottle = TimeSpan.FromSeconds(1);

    private int _newRuns;
    private int _refreshQueued;
    private bool _interactive;
    private bool _custom;

    internal static readonly string[] Statuses = [RunStatus.Success, RunStatus.ToolError, RunStatus.Error, RunStatus.Running];

    internal AuditFilter Filter { get; private set; } = new();
    internal int PageIndex { get; set; }
    internal int PageSize { get; set; } = AuditFilter.DefaultPageSize;
    internal IEnumerable<string> ToolNames => Registry.All.Select(t => t.Name);
    internal ChainStatus? Chain { get; private set; }
    internal bool ChainChecking { get; private set; } = true;
    internal int NewRuns => _newRuns;

    internal string VerificationDetail => Chain?.Result switch
    {
        null => "",
        { IsValid: true } v => $"{v.EntriesVerified} entries verified up to seq {v.HeadSeq} at {Chain.VerifiedAt.UtcDateTime:HH:mm:ss} UTC",
        { Break: { } broken } => $"First broken link: {broken}",
        _ => "Verification failed",
    };

    protected override void OnInitialized()
    {
        Filter = AuditFilter.FromQueryString(new Uri(Navigation.Uri).Query);
        (PageIndex, PageSize) = (Filter.Page - 1, Filter.PageSize);
        Navigation.LocationChanged += OnLocationChanged;
        _subscription = Events.Subscribe(OnRunEvent);
    }

    /// <summary>
    /// Runs from anywhere (API or console) appear live on the first page of the default order, at most once a second;
    /// on other pages or sorts a banner counts them instead of moving rows under the operator's cursor.
    /// </summary>
    private void OnRunEvent(RunEvent runEvent)
    {
        if (runEvent.Data is not (RunStartedData or RunFinishedData))
        {
            return;
        }
        if (Filter.Page > 1 || Filter.SortBy is not null)
        {
            if (runEvent.Data is RunStartedData)
            {
                Interlocked.Increment(ref _newRuns);
                _ = InvokeAsync(StateHasChanged);
            }
            return;
        }
        if (Interlocked.Exchange(ref _refreshQueued, 1) == 1)
        {
            return;
        }
        _ = InvokeAsync(async () =>
        {
            await Task.Delay(RefreshThrottle, Clock);
            Interlocked.Exchange(ref _refreshQueued, 0);
            await ReloadAsync();
        });
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }
        if (_grid is not null && Filter.SortBy is { } sortBy)
        {
            var direction = Filter.Descending ? SortDirection.Descending : SortDirection.Ascending;
            await _grid.SetSortAsync(sortBy, direction, SortKey(sortBy));
        }
        _interactive = true;
        await CheckChainAsync(force: false);
    }

    internal async Task VerifyNowAsync() => await CheckChainAsync(force: true);

    private async Task CheckChainAsync(bool force)
    {
        // The remembered result shows at once; a verification (when the head moved) runs after the first paint.
        Chain = ChainMonitor.Last;
        ChainChecking = true;
        StateHasChanged();
        Chain = await ChainMonitor.GetAsync(force);
        ChainChecking = false;
        StateHasChanged();
    }

    internal async Task<GridData<RunSummary>> LoadAsync(GridState<RunSummary> state, CancellationToken cancellationToken)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        Filter = Filter with
        {
            Page = state.Page + 1,
            PageSize = state.PageSize,
            SortBy = sort?.SortBy is nameof(RunSummary.CreatedAt) && sort.Descending ? null : sort?.SortBy,
            Descending = sort?.Descending ?? true,
        };
        WriteUrl();
        var page = await Search.SearchAsync(Filter.ToQuery(Clock.GetUtcNow()), cancellationToken);
        return new GridData<RunSummary> { Items = page.Items, TotalItems = page.TotalCount };
    }

    internal Task OnTextChanged(string? text) => Refilter(Filter with { Text = text });
    internal Task OnStatusChanged(string? status) => Refilter(Filter with { Status = status });
    internal Task OnToolChanged(string? tool) => Refilter(Filter with { ToolName = tool });
    internal Task OnSourceChanged(string? source) => Refilter(Filter with { Source = source });
    internal Task OnFromChanged(string? from) => Refilter(Filter with { From = ParseLocal(from), Range = null });
    internal Task OnToChanged(string? to) => Refilter(Filter with { To = ParseLocal(to), Range = null });

    internal Task OnRangeChanged(string? range)
    {
        _custom = range == "custom";
        return range switch
        {
            "custom" => Refilter(Filter with { Range = null, From = Filter.From ?? Clock.GetUtcNow().UtcDateTime.AddHours(-1) }),
            { Length: > 0 } preset => Refilter(Filter with { Range = preset, From = null, To = null }),
            _ => Refilter(Filter with { Range = null, From = null, To = null }),
        };
    }

    internal async Task ReloadAsync()
    {
        Interlocked.Exchange(ref _newRuns, 0);
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    private async Task Refilter(AuditFilter filter)
    {
        // A new filter starts at its first page.
        Filter = filter with { Page = 1 };
        PageIndex = 0;
        StateHasChanged();
        await ReloadAsync();
    }

    /// <summary>Keeps the address bar in step with the grid, replacing the entry so Back leaves the page.</summary>
    private void WriteUrl()
    {
        if (!_interactive)
        {
            return;
        }
        var wanted = "/audit" + Filter.ToQueryString();
        if (!string.Equals(new Uri(Navigation.Uri).PathAndQuery, wanted, StringComparison.Ordinal))
        {
            Navigation.NavigateTo(wanted, new NavigationOptions { ReplaceHistoryEntry = true });
        }
    }

    /// <summary>A link or Back/Forward to another audit URL re-applies its filter.</summary>
    private void OnLocationChanged(object? sender, Microsoft.AspNetCore.Components.Routing.LocationChangedEventArgs e)
    {
        var uri = new Uri(e.Location);
        if (!uri.AbsolutePath.EndsWith("/audit", StringComparison.Ordinal))
        {
            return;
        }
        var filter = AuditFilter.FromQueryString(uri.Query);
        if (filter.ToQueryString() != Filter.ToQueryString())
        {
            _ = InvokeAsync(async () =>
            {
                Filter = filter;
                (PageIndex, PageSize) = (filter.Page - 1, filter.PageSize);
                StateHasChanged();
                await ReloadAsync();
            });
        }
    }

    internal static string? Local(DateTime? time) => time?.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    private static DateTime? ParseLocal(string? text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? DateTime.SpecifyKind(time, DateTimeKind.Utc)
            : null;

    private static Func<RunSummary, object> SortKey(string property) => property switch
    {
        nameof(RunSummary.DurationMs) => r => r.DurationMs ?? 0,
        nameof(RunSummary.Status) => r => r.Status,
        nameof(RunSummary.Source) => r => r.Source,
        nameof(RunSummary.Principal) => r => r.Principal ?? "",
        _ => r => r.CreatedAt,
    };

    internal void Open(RunSummary? run)
    {
        if (run is not null)
        {
            Navigation.NavigateTo($"/runs/{run.Id}");
        }
    }

    public void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        _subscription?.Dispose();
    }
}
