namespace Agent.Core.Configuration;

/// <summary>
/// Where the agent keeps its state when nothing is configured: the per-user data directory
/// (<c>$XDG_DATA_HOME/autonomous-agent</c>, else <c>~/.local/share/autonomous-agent</c>; the local application
/// data folder on Windows). No build ever looks there, unlike a folder next to the sources.
/// </summary>
public static class AgentDataDirectory
{
    public const string AppFolder = "autonomous-agent";

    /// <summary>.NET maps LocalApplicationData to $XDG_DATA_HOME, or ~/.local/share when it is unset, on Unix.</summary>
    public static string Default => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        AppFolder);

    public static string DefaultWorkspace => Path.Combine(Default, "workspace");

    public static string DefaultDatabase => Path.Combine(Default, "data", "agent.db");

    /// <summary>Suggested home of other state that must stay out of the workspace (e.g. data-protection keys).</summary>
    public static string DefaultKeys => Path.Combine(Default, "keys");
}
