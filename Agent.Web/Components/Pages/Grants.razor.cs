using Agent.Core.Auditing;
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
    [Inject] public required ISecurityEventWriter SecurityEvents { get; init; }
    [CascadingParameter] public Task<AuthenticationState>? Authentication { get; set; }

    /// <summary>Admins and operators revoke grants; others see the list only.</summary>
    internal bool MayDecide { get; private set; }

    internal IReadOnlyList<GrantRecord> Rows { get; private set; } = [];
    internal bool IncludeInactive { get; private set; }
    internal DateTimeOffset Now => Clock.GetUtcNow();

    protected override async Task OnInitializedAsync()
    {
        MayDecide = Authentication is not null && (await Authentication).User.MayDecide();
        await LoadAsync();
    }

    private async Task LoadAsync() => Rows = await Store.ListGrantsAsync(IncludeInactive, Clock.GetUtcNow(), 500);

    internal async Task ToggleInactiveAsync(bool include)
    {
        IncludeInactive = include;
        await LoadAsync();
    }

    internal async Task RevokeAsync(GrantRecord grant)
    {
        var user = Authentication is null ? new System.Security.Claims.ClaimsPrincipal() : (await Authentication).User;
        // Checked again on the click: a forged circuit event gets the API's refusal, recorded like it.
        if (!user.MayDecide())
        {
            SecurityEvents.Record(new SecurityEvent(Clock.GetUtcNow(), StatusCodes.Status403Forbidden, SecurityEventReasons.RoleForbidden, "CONSOLE",
                $"/grants/{grant.Id}", null, user.Name()));
            return;
        }
        await Store.RevokeGrantAsync(grant.Id, user.Name() ?? "operator", Clock.GetUtcNow());
        await LoadAsync();
    }
}
