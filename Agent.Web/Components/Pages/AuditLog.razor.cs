using Agent.Core.Auditing;
using Agent.Core.Runs;
using Agent.Core.Tools;
using Agent.Web.Components.Audit;
using Agent.Web.Runs;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Agent.Web.Components.Pages;

/// <summary>Server-side search over the audit store, with a live count of runs recorded since the page loaded.</summary>
public sealed partial class AuditLog : IDisposable
{
    [Inject] public required IAuditSearch Search { get; init; }
    [Inject] public required AuditChainVerifier Verifier { get; init; }
    [Inject] public required ToolRegistry Registry { get; init; }
    [Inject] public required RunEventBroker Events { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }

    private MudDataGrid<RunSummary>? _grid;
    private IDisposable? _subscription;
    private int _newRuns;

    internal static readonly string[] Statuses = [RunStatus.Success, RunStatus.ToolError, RunStatus.Error, RunStatus.Running];

    internal AuditFilter Filter { get; } = new();
    internal IEnumerable<string> ToolNames => Registry.All.Select(t => t.Name);
    internal ChainVerification? Verification { get; private set; }
    internal int NewRuns => _newRuns;

    internal string VerificationDetail => Verification switch
    {
        null => "",
        { IsValid: true } v => $"{v.EntriesVerified} entries verified; head seq {v.HeadSeq}",
        { Break: { } broken } => $"First broken link: {broken}",
        _ => "Verification failed",
    };

    protected override void OnInitialized() =>
        _subscription = Events.Subscribe(e =>
        {
            if (e.Type == RunEventTypes.RunStarted)
            {
                Interlocked.Increment(ref _newRuns);
                _ = InvokeAsync(StateHasChanged);
            }
        });

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            // Verification walks the whole chain; it runs after the first paint so the grid shows at once.
            Verification = await Verifier.VerifyAsync();
            StateHasChanged();
        }
    }

    internal async Task<GridData<RunSummary>> LoadAsync(GridState<RunSummary> state, CancellationToken cancellationToken)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        var query = Filter.ToQuery(state.Page, state.PageSize, sort?.SortBy, sort?.Descending ?? true);
        var page = await Search.SearchAsync(query, cancellationToken);
        return new GridData<RunSummary> { Items = page.Items, TotalItems = page.TotalCount };
    }

    internal Task OnTextChanged(string? text) => Refilter(() => Filter.Text = text);
    internal Task OnStatusChanged(string? status) => Refilter(() => Filter.Status = status);
    internal Task OnToolChanged(string? tool) => Refilter(() => Filter.ToolName = tool);
    internal Task OnSourceChanged(string? source) => Refilter(() => Filter.Source = source);
    internal Task OnDatesChanged(DateRange? dates) => Refilter(() => Filter.Dates = dates);

    internal async Task ReloadAsync()
    {
        Interlocked.Exchange(ref _newRuns, 0);
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    private async Task Refilter(Action change)
    {
        change();
        StateHasChanged();
        await ReloadAsync();
    }

    internal void Open(RunSummary? run)
    {
        if (run is not null)
        {
            Navigation.NavigateTo($"/runs/{run.Id}");
        }
    }

    public void Dispose() => _subscription?.Dispose();
}
