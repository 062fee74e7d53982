using Agent.Core.Policy;
using Agent.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Agent.Web.Components.Pages;

/// <summary>Grants in force (or all of them), each revocable by the signed-in operator.</summary>
public sealed partial class Grants
{
    [Inject] public required IApprovalStore Store { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }
    [CascadingParameter] public Task<AuthenticationState>? Authentication { get; set; }

    internal IReadOnlyList<GrantRecord> Rows { get; private set; } = [];
    internal bool IncludeInactive { get; private set; }
    internal DateTimeOffset Now => Clock.GetUtcNow();

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync() => Rows = await Store.ListGrantsAsync(IncludeInactive, Clock.GetUtcNow(), 500);

    internal async Task ToggleInactiveAsync(bool include)
    {
        IncludeInactive = include;
        await LoadAsync();
    }

    internal async Task RevokeAsync(GrantRecord grant)
    {
        var user = Authentication is null ? null : (await Authentication).User;
        await Store.RevokeGrantAsync(grant.Id, user?.Name() ?? "operator", Clock.GetUtcNow());
        await LoadAsync();
    }
}
