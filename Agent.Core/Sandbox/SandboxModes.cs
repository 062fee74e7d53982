namespace Agent.Core.Sandbox;

/// <summary>The values of <c>Tools:Sandbox</c>.</summary>
public static class SandboxModes
{
    public const string Bubblewrap = "bubblewrap";

    public const string None = "none";
}
