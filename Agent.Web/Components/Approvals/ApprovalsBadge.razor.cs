using Agent.Core.Policy;
using Microsoft.AspNetCore.Components;

namespace Agent.Web.Components.Approvals;

/// <summary>The app bar's live count of calls waiting for a person.</summary>
public sealed partial class ApprovalsBadge : IDisposable
{
    [Inject] public required IApprovalStore Store { get; init; }
    [Inject] public required ApprovalCoordinator Coordinator { get; init; }

    private IDisposable? _subscription;

    internal int Count { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        Count = (await Store.ListAsync(ApprovalStatus.Pending, 1000)).Count;
        _subscription = Coordinator.Subscribe(() => _ = InvokeAsync(async () =>
        {
            Count = (await Store.ListAsync(ApprovalStatus.Pending, 1000)).Count;
            StateHasChanged();
        }));
    }

    public void Dispose() => _subscription?.Dispose();
}
