using System.Globalization;
using Agent.Core.Auditing;
using Agent.Core.Policy;
using Agent.Web.Components.Runs;
using Agent.Web.Components.Shared;
using Agent.Web.Runs;
using Agent.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Agent.Web.Components.Pages;

/// <summary>
/// One run by URL, whoever started it: live while it runs in this process (events replayed from the first, an elapsed
/// timer and Cancel), then the audit record once it ends. A finished run can be started again from here.
/// </summary>
public sealed partial class RunRecord : IDisposable
{
    [Inject] public required AuditQueries Audit { get; init; }
    [Inject] public required RunManager Runs { get; init; }
    [Inject] public required ConsoleRunStarter Starter { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }
    [Inject] public required ISecurityEventWriter SecurityEvents { get; init; }
    [Inject] public required IApprovalStore Approvals { get; init; }
    [Inject] public required ApprovalCoordinator Coordinator { get; init; }

    [CascadingParameter] public Task<AuthenticationState>? Authentication { get; set; }

    [Parameter] public string Id { get; set; } = "";

    private CancellationTokenSource _following = new();
    private ITimer? _ticker;
    private bool _cancelRequested;
    private IDisposable? _approvalChanges;

    internal RunDetail? Record { get; private set; }

    /// <summary>Why "Run again" was refused (rate limit, background-run bound), or null.</summary>
    internal string? Refusal { get; private set; }
    internal TrackedRun? Tracked { get; private set; }
    internal RunTimeline? Timeline { get; private set; }
    internal bool Loaded { get; private set; }
    internal bool IsLive => Tracked is not null && Timeline is { IsFinished: false };

    /// <summary>Whether the signed-in principal may cancel this live run (admin: any; runner: its own; auditor: none).</summary>
    internal bool MayCancel { get; private set; }

    /// <summary>Whether the signed-in principal may approve or deny this run's waiting calls (admins and operators).</summary>
    internal bool MayDecide { get; private set; }

    /// <summary>Steps whose policy decision is recorded: the run detail's policy table.</summary>
    internal IReadOnlyList<ToolEntry> PolicySteps => Timeline?.Entries.OfType<ToolEntry>().Where(t => t.Policy is not null).ToList() ?? [];
    internal string ShortId => Id.Length > 8 ? Id[..8] : Id;

    internal string ElapsedText =>
        Timeline?.DurationMs is { } ms ? DurationFormat.Milliseconds(ms)
        : Timeline?.StartedAt is { } started ? DurationFormat.Of(Clock.GetUtcNow() - started)
        : "";

    protected override async Task OnParametersSetAsync()
    {
        StopFollowing();
        (Record, Tracked, Timeline, Loaded, _cancelRequested) = (null, null, null, false, false);
        MayDecide = (await CurrentUserAsync()).MayDecide();
        var tracked = Runs.Find(Id);
        if (tracked is { IsFinished: false })
        {
            MayCancel = (await CurrentUserAsync()).MayCancel(tracked.Owner);
            Tracked = tracked;
            Timeline = new RunTimeline();
            Loaded = true;
            // The elapsed time ticks while the run is going; events redraw the rest.
            _ticker = Clock.CreateTimer(_ => InvokeAsync(StateHasChanged), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
            _ = FollowAsync(tracked, Timeline, _following.Token);
            return;
        }
        await LoadRecordAsync();
    }

    private async Task LoadRecordAsync()
    {
        Record = await Audit.GetRunAsync(Id);
        Timeline = Record is null ? null : RunTimeline.FromRecord(Record);
        if (Timeline is { IsFinished: false })
        {
            // Not followed live here (e.g. the server restarted while it waited): its waiting calls come from the store,
            // and any answer (here, in the inbox or through the API) reloads the page's view.
            Timeline.AddWaiting(await Approvals.ListAsync(ApprovalStatus.Pending, 500));
            _approvalChanges ??= Coordinator.Subscribe(() => _ = InvokeAsync(async () =>
            {
                if (Tracked is null)
                {
                    await LoadRecordAsync();
                    StateHasChanged();
                }
            }));
        }
        else
        {
            // Finished (or unknown): no answer can change what the page shows any more.
            _approvalChanges?.Dispose();
            _approvalChanges = null;
        }
        Loaded = true;
    }

    /// <summary>A live run shows the answer through its own events; a run read from the store is read again.</summary>
    internal async Task OnDecidedAsync()
    {
        if (Tracked is null)
        {
            await LoadRecordAsync();
        }
    }

    private async Task FollowAsync(TrackedRun run, RunTimeline timeline, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var runEvent in run.ReadEventsAsync(cancellationToken))
            {
                await InvokeAsync(() =>
                {
                    timeline.Apply(runEvent);
                    StateHasChanged();
                });
            }
            // Finished: switch to what the audit store recorded (model, tokens and timings included).
            await InvokeAsync(async () =>
            {
                _ticker?.Dispose();
                await LoadRecordAsync();
                StateHasChanged();
            });
        }
        catch (OperationCanceledException)
        {
            // The page was left or moved to another run; the run goes on and is audited.
        }
    }

    internal async Task CancelAsync()
    {
        var user = await CurrentUserAsync();
        if (Tracked is not { } run)
        {
            return;
        }
        // Checked again on the click, not only when drawing the button: a forged circuit event gets the API's refusal.
        if (!user.MayCancel(run.Owner))
        {
            var reason = user.Role() == KeyRoleNames.Runner ? SecurityEventReasons.NotOwner : SecurityEventReasons.RoleForbidden;
            SecurityEvents.Record(new SecurityEvent(Clock.GetUtcNow(), StatusCodes.Status403Forbidden, reason, "CONSOLE", $"/runs/{Id}/cancel", null, user.Name()));
            return;
        }
        _cancelRequested = true;
        run.Cancel(user.Name()!);
    }

    private async Task<System.Security.Claims.ClaimsPrincipal> CurrentUserAsync() =>
        Authentication is null ? new System.Security.Claims.ClaimsPrincipal() : (await Authentication).User;

    internal async Task RerunAsync()
    {
        if (Timeline?.Input is not { Length: > 0 } input)
        {
            return;
        }
        var user = Authentication is null ? new System.Security.Claims.ClaimsPrincipal() : (await Authentication).User;
        var start = Starter.Start(input, user);
        Refusal = start.Refusal;
        if (start.Run is not null)
        {
            Navigation.NavigateTo($"/runs/{start.Run.Id}");
        }
    }

    internal static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private void StopFollowing()
    {
        _approvalChanges?.Dispose();
        _approvalChanges = null;
        _ticker?.Dispose();
        _following.Cancel();
        _following.Dispose();
        _following = new CancellationTokenSource();
    }

    public void Dispose()
    {
        _approvalChanges?.Dispose();
        _ticker?.Dispose();
        _following.Cancel();
        _following.Dispose();
    }
}
