using Agent.Core.Auditing;
using Agent.Core.Policy;
using Agent.Web.Approvals;
using Agent.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Agent.Web.Components.Approvals;

/// <summary>Approve (with a scope and grant lifetime) or deny one waiting call, as the signed-in operator.</summary>
public sealed partial class ApprovalActions
{
    [Inject] public required ApprovalDecisions Decisions { get; init; }
    [Inject] public required IApprovalStore Store { get; init; }
    [Inject] public required ISecurityEventWriter SecurityEvents { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }
    [CascadingParameter] public Task<AuthenticationState>? Authentication { get; set; }

    [Parameter, EditorRequired] public required string ApprovalId { get; set; }

    /// <summary>Called after a decision was recorded (or found already made).</summary>
    [Parameter] public EventCallback Decided { get; set; }

    private string _scope = "once";
    private int? _minutes;
    private string? _comment;
    private string? _problem;
    private bool _busy;

    /// <summary>False when the viewer's own key asked for this call (an operator may deny it, not approve it).</summary>
    internal bool MayApprove { get; private set; } = true;

    private string? _checkedFor;

    protected override async Task OnParametersSetAsync()
    {
        // The parent redraws often (a ticking trace): look the request up once per request, not per redraw.
        if (_checkedFor == ApprovalId)
        {
            return;
        }
        _checkedFor = ApprovalId;
        var user = Authentication is null ? new System.Security.Claims.ClaimsPrincipal() : (await Authentication).User;
        MayApprove = user.MayApprove((await Store.FindAsync(ApprovalId))?.Principal);
    }

    internal async Task DecideAsync(bool approve)
    {
        _busy = true;
        try
        {
            var user = Authentication is null ? new System.Security.Claims.ClaimsPrincipal() : (await Authentication).User;
            // Checked again on the click, not only when drawing the buttons: a forged circuit event gets the API's refusal.
            if (!user.MayDecide())
            {
                SecurityEvents.Record(new SecurityEvent(Clock.GetUtcNow(), StatusCodes.Status403Forbidden, SecurityEventReasons.RoleForbidden, "CONSOLE",
                    $"/approvals/{ApprovalId}/{(approve ? "approve" : "deny")}", null, user.Name()));
                _problem = "Only admins and operators answer approval requests.";
                return;
            }
            if (approve && !user.MayApprove((await Store.FindAsync(ApprovalId))?.Principal))
            {
                SecurityEvents.Record(new SecurityEvent(Clock.GetUtcNow(), StatusCodes.Status403Forbidden, SecurityEventReasons.OwnRequest, "CONSOLE",
                    $"/approvals/{ApprovalId}/approve", null, user.Name()));
                _problem = "A run of your own key asked for this call: another operator or an admin approves it.";
                return;
            }
            var request = approve
                ? new ApprovalDecisionRequest(_scope, _scope == "once" ? null : _minutes, _comment)
                : new ApprovalDecisionRequest(null, null, _comment);
            var (outcome, _, problem) = await Decisions.DecideAsync(ApprovalId, approve, request, user.Name() ?? "operator", Store, CancellationToken.None);
            _problem = outcome == ApprovalDecisions.Outcome.Decided ? null : problem;
            await Decided.InvokeAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
