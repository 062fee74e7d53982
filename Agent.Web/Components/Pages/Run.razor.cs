using Agent.Web.Components.Runs;
using Agent.Web.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;

namespace Agent.Web.Components.Pages;

/// <summary>Submits an instruction as a console run and follows its events live until it ends.</summary>
public sealed partial class Run
{
    public const string Source = ConsoleRunStarter.Source;

    [Inject] public required ConsoleRunStarter Runs { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }

    [CascadingParameter] public Task<AuthenticationState>? Authentication { get; set; }

    private readonly CancellationTokenSource _disposed = new();
    private TrackedRun? _run;
    private string? _operator;
    private ITimer? _ticker;

    internal string? Instruction { get; set; }
    internal RunTimeline? Timeline { get; private set; }
    /// <summary>Why the last submit was refused (rate limit, background-run bound), or null.</summary>
    internal string? Refusal { get; private set; }
    internal bool IsRunning => Timeline is { IsFinished: false };
    internal bool CanSubmit => !IsRunning && !string.IsNullOrWhiteSpace(Instruction);

    internal string ElapsedText =>
        Timeline?.DurationMs is { } ms ? $"{ms} ms"
        : Timeline?.StartedAt is { } started ? $"{(Clock.GetUtcNow() - started).TotalSeconds:0.0} s" : "";

    internal async Task OnKeyDownAsync(KeyboardEventArgs e)
    {
        if (e is { Key: "Enter", CtrlKey: true })
        {
            await SubmitAsync();
        }
    }

    internal async Task SubmitAsync()
    {
        if (!CanSubmit)
        {
            return;
        }
        var user = Authentication is null ? new System.Security.Claims.ClaimsPrincipal() : (await Authentication).User;
        var start = Runs.Start(Instruction!.Trim(), user);
        Refusal = start.Refusal;
        if (start.Run is null)
        {
            return;
        }
        _run = start.Run;
        _operator = user.Identity?.Name;
        Timeline = new RunTimeline();
        _ticker?.Dispose();
        // Elapsed time ticks while the run is going; events redraw the rest.
        _ticker = Clock.CreateTimer(_ => InvokeAsync(StateHasChanged), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
        _ = FollowAsync(_run, Timeline);
    }

    internal void Cancel() => _run?.Cancel(_operator ?? "a console operator");

    private async Task FollowAsync(TrackedRun run, RunTimeline timeline)
    {
        try
        {
            await foreach (var runEvent in run.ReadEventsAsync(_disposed.Token))
            {
                await InvokeAsync(() =>
                {
                    timeline.Apply(runEvent);
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed; the run goes on and is audited.
        }
        finally
        {
            _ticker?.Dispose();
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
        _ticker?.Dispose();
    }
}
