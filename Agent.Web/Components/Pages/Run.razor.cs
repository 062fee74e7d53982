using Agent.Core.Runs;
using Agent.Web.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;

namespace Agent.Web.Components.Pages;

/// <summary>Submits an instruction as a console run and opens its page (<c>/runs/{id}</c>), which follows it live.</summary>
public sealed partial class Run
{
    public const string Source = "console";

    [Inject] public required RunManager Runs { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }

    [CascadingParameter] public Task<AuthenticationState>? Authentication { get; set; }

    private bool _submitted;

    internal string? Instruction { get; set; }
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
        _submitted = true;
        var user = Authentication is null ? null : (await Authentication).User;
        var run = Runs.Start(new RunRequest(Instruction!.Trim(), Source, user?.Identity?.Name, null));
        Navigation.NavigateTo($"/runs/{run.Id}");
    }
}
