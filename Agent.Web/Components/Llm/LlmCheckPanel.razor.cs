using Agent.Core.Llm;
using Agent.Web.Cli;
using Microsoft.AspNetCore.Components;

namespace Agent.Web.Components.Llm;

/// <summary>Shows the last provider check of this process and runs a new one on request; checks never overlap.</summary>
public sealed partial class LlmCheckPanel
{
    [Inject] public required LlmCheck Check { get; init; }

    internal LlmCheckResult? Result { get; private set; }

    internal bool Running { get; private set; }

    internal string Line => Result is null ? "" : LlmCheckCommand.Format(Result);

    protected override void OnInitialized() => Result = Check.Last;

    internal async Task RunAsync()
    {
        Running = true;
        try
        {
            Result = await Check.RunAsync();
        }
        finally
        {
            Running = false;
        }
    }
}
