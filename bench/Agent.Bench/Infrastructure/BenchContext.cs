namespace Agent.Bench.Infrastructure;

/// <summary>Where things are for one bench run: the built servers, a scratch directory, the results directory.</summary>
public sealed class BenchContext : IDisposable
{
    public const string ApiKey = "bench-key-0123456789abcdef";

    private BenchContext(string repoRoot, string scratch)
    {
        RepoRoot = repoRoot;
        Scratch = scratch;
        ResultsDirectory = Path.Combine(repoRoot, "bench", "results");
        Directory.CreateDirectory(ResultsDirectory);
    }

    public string RepoRoot { get; }
    public string Scratch { get; }
    public string ResultsDirectory { get; }
    public string AgentDll => Path.Combine(RepoRoot, "Agent.Web", "bin", "Release", "net10.0", "Agent.Web.dll");
    public string BaselineDll => Path.Combine(RepoRoot, "bench", "Baseline", "bin", "Release", "net10.0", "Baseline.dll");
    public string WrkScript => Path.Combine(RepoRoot, "bench", "wrk", "post-run.lua");

    /// <summary>BENCH_REPO_ROOT (set by run.sh) or the nearest ancestor holding Agent.sln.</summary>
    public static BenchContext Create()
    {
        var root = Environment.GetEnvironmentVariable("BENCH_REPO_ROOT") ?? FindRepoRoot(AppContext.BaseDirectory);
        var scratch = Path.Combine(Path.GetTempPath(), $"agent-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(scratch);
        return new BenchContext(root, scratch);
    }

    /// <summary>A fresh directory inside the scratch area, e.g. for one server's workspace and database.</summary>
    public string NewDirectory(string name)
    {
        var path = Path.Combine(Scratch, name);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// Starts a built server (the agent or the bare baseline) on a free port of 127.0.0.1 and waits until /health answers;
    /// its output is appended to <paramref name="logName"/> in the scratch directory, and it gets SIGTERM when disposed.
    /// </summary>
    public Task<AgentProcess> StartServerAsync(string dll, IReadOnlyDictionary<string, string> environment, string logName) =>
        AgentProcess.StartHealthyAsync(new ServerLaunch(dll) { Environment = environment, LogPath = Path.Combine(Scratch, logName), GracefulStop = true });

    /// <summary>The agent's environment: local planner, no rate limit, a temporary workspace and database.</summary>
    public Dictionary<string, string> AgentEnvironment(string workspace, string databasePath) => new()
    {
        ["AGENT_API_KEY"] = ApiKey,
        ["WORKSPACE_ROOT"] = workspace,
        ["DATABASE_PATH"] = databasePath,
        ["RATE_LIMIT_ENABLED"] = "false",
        ["LLM_PROVIDER"] = "local",
        // Anything the server keeps in its data directory stays in the scratch area, not in the build output or the home.
        ["XDG_DATA_HOME"] = Path.Combine(Scratch, "xdg-data"),
        // Request logging at Information would measure the console, not the agent.
        ["Logging__LogLevel__Default"] = "Warning",
    };

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("BENCH_KEEP_SCRATCH") != "1")
        {
            try
            {
                Directory.Delete(Scratch, recursive: true);
            }
            catch (IOException)
            {
                // A server still closing a file; the OS cleans /tmp eventually.
            }
        }
    }

    private static string FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Agent.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Could not find the repository root (Agent.sln); set BENCH_REPO_ROOT.");
    }
}
