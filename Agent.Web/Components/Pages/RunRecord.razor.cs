using System.Globalization;
using Agent.Core.Auditing;
using Agent.Web.Components.Runs;
using Agent.Web.Components.Shared;
using Agent.Web.Runs;
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

    [CascadingParameter] public Task<AuthenticationState>? Authentication { get; set; }

    [Parameter] public string Id { get; set; } = "";

    private CancellationTokenSource _following = new();
    private ITimer? _ticker;
    private bool _cancelRequested;

    internal RunDetail? Record { get; private set; }

    /// <summary>Why "Run again" was refused (rate limit, background-run bound), or null.</summary>
    internal string? Refusal { get; private set; }
    internal TrackedRun? Tracked { get; private set; }
    internal RunTimeline? Timeline { get; private set; }
    internal bool Loaded { get; private set; }
    internal bool IsLive => Tracked is not null && Timeline is { IsFinished: false };
    internal string ShortId => Id.Length > 8 ? Id[..8] : Id;

    internal string ElapsedText =>
        Timeline?.DurationMs is { } ms ? DurationFormat.Milliseconds(ms)
        : Timeline?.StartedAt is { } started ? DurationFormat.Of(Clock.GetUtcNow() - started)
        : "";

    protected override async Task OnParametersSetAsync()
    {
        StopFollowing();
        (Record, Tracked, Timeline, Loaded, _cancelRequested) = (null, null, null, false, false);
        var tracked = Runs.Find(Id);
        if (tracked is { IsFinished: false })
        {
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
        Loaded = true;
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
        _cancelRequested = true;
        var user = Authentication is null ? null : (await Authentication).User;
        Tracked?.Cancel(user?.Identity?.Name ?? "a console operator");
    }

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
        _ticker?.Dispose();
        _following.Cancel();
        _following.Dispose();
        _following = new CancellationTokenSource();
    }

    public void Dispose()
    {
        _ticker?.Dispose();
        _following.Cancel();
        _following.Dispose();
    }
}
