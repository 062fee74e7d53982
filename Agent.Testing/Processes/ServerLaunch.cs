namespace Agent.Testing;

/// <summary>How to start a server as a child process: <c>dotnet Assembly</c> with arguments, on top of a scrubbed environment.</summary>
public sealed record ServerLaunch(string Assembly)
{
    /// <summary>The content root; by default the assembly's own directory, where its appsettings.json is.</summary>
    public string? WorkingDirectory { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>A command that runs <c>dotnet</c> (e.g. setpriv to drop to another user); empty to run it directly.</summary>
    public IReadOnlyList<string> Launcher { get; init; } = [];

    /// <summary>Where stdout and stderr are appended; null keeps them in memory (<see cref="AgentProcess.Stdout"/>).</summary>
    public string? LogPath { get; init; }

    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>On dispose, SIGTERM and a grace period before SIGKILL (for measurements); otherwise SIGKILL at once.</summary>
    public bool GracefulStop { get; init; }
}
