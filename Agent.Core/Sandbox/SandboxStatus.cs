namespace Agent.Core.Sandbox;

/// <summary>
/// What <c>run_command</c> runs in right now: <c>bubblewrap</c> (ready), <c>none</c> (turned off, unsafe) or
/// <c>unavailable</c> (bubblewrap cannot start here; every command is blocked), with a sentence saying why.
/// </summary>
public sealed record SandboxStatus(string Mode, bool CanRun, string Detail)
{
    public const string Unavailable = "unavailable";

    public static SandboxStatus Ready(string detail) => new(SandboxModes.Bubblewrap, true, detail);

    public static SandboxStatus Disabled() => new(SandboxModes.None, true,
        "Tools:Sandbox=none (SANDBOX): commands run unconfined with the server's own rights. Unsafe.");

    public static SandboxStatus Failed(string reason) => new(Unavailable, false, reason);
}
