using Agent.Core.Policy;
using Agent.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Agent.Web.Components.Pages;

/// <summary>The approvals inbox: what waits for a person (live), and what was decided lately.</summary>
public sealed partial class Approvals : IDisposable
{
    [Inject] public required IApprovalStore Store { get; init; }
    [Inject] public required ApprovalCoordinator Coordinator { get; init; }
    [CascadingParameter] public Task<AuthenticationState>? Authentication { get; set; }

    private IDisposable? _subscription;

    /// <summary>Whether the signed-in principal may approve or deny (admins and operators); others see the requests only.</summary>
    internal bool MayDecide { get; private set; }

    internal IReadOnlyList<ApprovalRecord> Pending { get; private set; } = [];
    internal IEnumerable<ApprovalRecord> Decided { get; private set; } = [];
    internal string TimeoutText => $"{Coordinator.Timeout.TotalMinutes:0.#} minutes";

    protected override async Task OnInitializedAsync()
    {
        MayDecide = Authentication is not null && (await Authentication).User.MayDecide();
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
