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
    [CascadingParameter] public Task<AuthenticationState>? Authentication { get; set; }

    [Parameter, EditorRequired] public required ApprovalRecord Approval { get; set; }

    /// <summary>Called after a decision was recorded (or found already made).</summary>
    [Parameter] public EventCallback Decided { get; set; }

    private string _scope = "once";
    private int? _minutes;
    private string? _comment;
    private string? _problem;
    private bool _busy;

    private async Task DecideAsync(bool approve)
    {
        _busy = true;
        try
        {
            var user = Authentication is null ? null : (await Authentication).User;
            var request = approve
                ? new ApprovalDecisionRequest(_scope, _scope == "once" ? null : _minutes, _comment)
                : new ApprovalDecisionRequest(null, null, _comment);
            var (outcome, _, problem) = await Decisions.DecideAsync(Approval.Id, approve, request, user?.Name() ?? "operator", Store, CancellationToken.None);
            _problem = outcome == ApprovalDecisions.Outcome.Decided ? null : problem;
            await Decided.InvokeAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
