using Agent.Web.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;

namespace Agent.Web.Components.Pages;

/// <summary>Submits an instruction as a console run and opens its page (<c>/runs/{id}</c>), which follows it live.</summary>
public sealed partial class Run
{
    public const string Source = ConsoleRunStarter.Source;

    [Inject] public required ConsoleRunStarter Runs { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }

    [CascadingParameter] public Task<AuthenticationState>? Authentication { get; set; }

    private bool _submitted;

    internal string? Instruction { get; set; }

    /// <summary>Why the last submit was refused (rate limit, background-run bound), or null.</summary>
    internal string? Refusal { get; private set; }
    internal bool CanSubmit => !_submitted && !string.IsNullOrWhiteSpace(Instruction);

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
        if (start.Run is not null)
        {
            _submitted = true;
            Navigation.NavigateTo($"/runs/{start.Run.Id}");
        }
    }
}
