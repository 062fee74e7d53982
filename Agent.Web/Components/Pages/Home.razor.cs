using Agent.Core.Auditing;
using Agent.Core.Runs;
using Agent.Web.Health;
using Agent.Web.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agent.Web.Components.Pages;

/// <summary>Health, last-hour activity charts and the latest runs, refreshed live as runs finish (at most once a second).</summary>
public sealed partial class Home : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private static readonly TimeSpan RefreshThrottle = TimeSpan.FromSeconds(1);

    [Inject] public required HealthCheckService HealthChecks { get; init; }
    [Inject] public required AuditQueries Audit { get; init; }
    [Inject] public required AuditStatistics Statistics { get; init; }
    [Inject] public required RunEventBroker Events { get; init; }
    [Inject] public required RunManager Runs { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }

    private IDisposable? _subscription;
    private int _refreshQueued;

    internal HealthResponse? Health { get; private set; }
    internal IReadOnlyList<RunSummary>? LatestRuns { get; private set; }
    internal ActivitySummary? Activity { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        Health = HealthResponse.From(await HealthChecks.CheckHealthAsync(), Clock);
        await LoadAsync();
        _subscription = Events.Subscribe(OnRunEvent);
    }

    private async Task LoadAsync()
    {
        LatestRuns = await Audit.LatestAsync(10);
        Activity = await Statistics.ActivityAsync(Window);
    }

    private void OnRunEvent(RunEvent runEvent)
    {
        if (runEvent.Data is not (RunStartedData or RunFinishedData or ApprovalRequestedData or ApprovalDecidedData)
            || Interlocked.Exchange(ref _refreshQueued, 1) == 1)
        {
            return;
        }
        _ = InvokeAsync(async () =>
        {
            await Task.Delay(RefreshThrottle, Clock);
            Interlocked.Exchange(ref _refreshQueued, 0);
            await LoadAsync();
            StateHasChanged();
        });
    }

    /// <summary>A run still going in this process shows its live status (<c>awaiting_approval</c> while a call waits).</summary>
    internal string StatusOf(RunSummary run) => run.Status == RunStatus.Running && Runs.Find(run.Id) is { } live ? live.Status : run.Status;

    internal void Open(RunSummary? run)
    {
        if (run is not null)
        {
            Navigation.NavigateTo($"/runs/{run.Id}");
        }
    }

    public void Dispose() => _subscription?.Dispose();
}
