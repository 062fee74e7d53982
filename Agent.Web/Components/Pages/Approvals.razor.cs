using Agent.Core.Policy;
using Microsoft.AspNetCore.Components;

namespace Agent.Web.Components.Pages;

/// <summary>The approvals inbox: what waits for a person (live), and what was decided lately.</summary>
public sealed partial class Approvals : IDisposable
{
    [Inject] public required IApprovalStore Store { get; init; }
    [Inject] public required ApprovalCoordinator Coordinator { get; init; }

    private IDisposable? _subscription;

    internal IReadOnlyList<ApprovalRecord> Pending { get; private set; } = [];
    internal IEnumerable<ApprovalRecord> Decided { get; private set; } = [];
    internal string TimeoutText => $"{Coordinator.Timeout.TotalMinutes:0.#} minutes";

    protected override async Task OnInitializedAsync()
    {
        await LoadAsync();
        _subscription = Coordinator.Subscribe(() => _ = InvokeAsync(ReloadAsync));
    }

    internal async Task ReloadAsync()
    {
        await LoadAsync();
        StateHasChanged();
    }

    private async Task LoadAsync()
    {
        Pending = [.. (await Store.ListAsync(ApprovalStatus.Pending, 200)).Reverse()];
        Decided = (await Store.ListAsync(null, 100)).Where(a => a.Status != ApprovalStatus.Pending).Take(50);
    }

    public void Dispose() => _subscription?.Dispose();
}
