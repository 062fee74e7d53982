using Agent.Core.Configuration;
using Agent.Core.Workspace;
using Agent.Tests.Infrastructure;
using Agent.Web.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.FileProviders;

namespace Agent.Tests.Configuration;

/// <summary>Start-up refuses, in one line naming the key, a workspace that overlaps what the server runs from or keeps.</summary>
public sealed class WorkspaceLayoutTests
{
    public static TheoryData<string> RefusedLayouts => ["inside-content-root", "contains-content-root", "inside-binaries", "contains-binaries", "database-inside-workspace", "workspace-is-database-directory", "inside-database-directory"];

    [Trait("Category", "Process")]
    [Theory]
    [MemberData(nameof(RefusedLayouts))]
    public async Task Start_OverlappingLayout_ExitsWithOneLineNamingTheKey(string layout)
    {
        using var directory = new TempDirectory("agent-layout");
        var cwd = Directory.CreateDirectory(directory.Combine("app")).FullName;
        // A published application's directory: the server reads its settings and static files from here.
        File.WriteAllText(Path.Combine(cwd, "appsettings.json"), "{}");
        var binaries = PathLayout.RealPath(AppContext.BaseDirectory);
        var (environment, expected, neverCreated) = layout switch
        {
            "inside-content-root" => (Env(Path.Combine(cwd, "workspace")),
                $"WORKSPACE_ROOT (Agent:WorkspaceRoot) is '{Real(cwd, "workspace")}', which lies inside the application's content root '{Real(cwd)}'", Path.Combine(cwd, "workspace")),
            "contains-content-root" => (Env(directory.Path),
                $"WORKSPACE_ROOT (Agent:WorkspaceRoot) is '{Real(directory.Path)}', which contains the application's content root '{Real(cwd)}'", null),
            "inside-binaries" => (Env(Path.Combine(binaries, "planted-workspace")),
                $"WORKSPACE_ROOT (Agent:WorkspaceRoot) is '{Path.Combine(binaries, "planted-workspace")}', which lies inside the application's binaries '{binaries}'", Path.Combine(binaries, "planted-workspace")),
            "contains-binaries" => (Env(Path.GetDirectoryName(binaries)!),
                $"which contains the application's binaries '{binaries}'", null),
            "database-inside-workspace" => (Env(directory.Combine("ws"), directory.Combine("ws", "audit", "agent.db")),
                $"DATABASE_PATH (Agent:DatabasePath) is '{Real(directory.Path, "ws", "audit", "agent.db")}', inside the workspace '{Real(directory.Path, "ws")}'", directory.Combine("ws")),
            "workspace-is-database-directory" => (Env(directory.Combine("state"), directory.Combine("state", "agent.db")),
                $"DATABASE_PATH (Agent:DatabasePath) is '{Real(directory.Path, "state", "agent.db")}', inside the workspace", directory.Combine("state")),
            "inside-database-directory" => (Env(directory.Combine("state", "ws"), directory.Combine("state", "agent.db")),
                $"WORKSPACE_ROOT (Agent:WorkspaceRoot) is '{Real(directory.Path, "state", "ws")}', which lies inside the audit database's directory '{Real(directory.Path, "state")}'", directory.Combine("state")),
            _ => throw new ArgumentOutOfRangeException(nameof(layout)),
        };

        await using var server = AgentProcess.Start(cwd, environment);

        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the server should refuse to start");
        Assert.Equal(2, server.ExitCode);
        var line = Assert.Single(server.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Invalid configuration: ", line);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Stdout + server.Stderr);
        if (neverCreated is not null)
        {
            Assert.False(Directory.Exists(neverCreated), "nothing is created for a refused layout");
        }
    }

    [Fact]
    public void Validate_WorkspaceOverlapsProtectedLocation_NamesWorkspaceAndTheLocationKey()
    {
        using var directory = new TempDirectory("agent-layout");
        var keys = directory.Combine("state", "keys");
        var validator = new WorkspaceLayoutValidator(new FakeEnvironment(directory.Combine("app")),
            [new ProtectedLocation("DataProtection:KeysPath", "the data-protection key directory", keys)]);

        var inside = validator.Validate(null, Options(Path.Combine(keys, "ws"), directory.Combine("db", "agent.db")));
        var containing = validator.Validate(null, Options(directory.Combine("state"), directory.Combine("db", "agent.db")));
        var apart = validator.Validate(null, Options(directory.Combine("ws"), directory.Combine("db", "agent.db")));

        Assert.Contains($"WORKSPACE_ROOT (Agent:WorkspaceRoot) is '{Real(keys, "ws")}', which lies inside the data-protection key directory (DataProtection:KeysPath) '{Real(keys)}'", inside.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("which contains the data-protection key directory (DataProtection:KeysPath)", containing.FailureMessage, StringComparison.Ordinal);
        Assert.True(apart.Succeeded, apart.FailureMessage);
    }

    [Fact]
    public void Validate_WorkspaceIsWebRoot_Refused()
    {
        using var directory = new TempDirectory("agent-layout");
        var validator = new WorkspaceLayoutValidator(new FakeEnvironment(directory.Combine("app")), []);

        var result = validator.Validate(null, Options(directory.Combine("app", "wwwroot"), directory.Combine("db", "agent.db")));

        Assert.Contains($"which is the application's web root '{Real(directory.Path, "app", "wwwroot")}'", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WorkspaceBelowAContentRootWithoutApplicationFiles_Allowed()
    {
        // The operator's current directory (their home, say) is the content root of a published server started from it.
        using var directory = new TempDirectory("agent-layout");
        Directory.CreateDirectory(directory.Combine("home"));
        var validator = new WorkspaceLayoutValidator(new FakeEnvironment(directory.Combine("home")), []);

        var result = validator.Validate(null, Options(directory.Combine("home", ".local", "share", "ws"), directory.Combine("home", ".local", "share", "data", "agent.db")));

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_Defaults_Allowed()
    {
        var validator = new WorkspaceLayoutValidator(new FakeEnvironment(Path.Combine(RepositoryPaths.Root, "Agent.Web")), []);

        var result = validator.Validate(null, new AgentOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    private static Dictionary<string, string> Env(string workspace, string? database = null)
    {
        var environment = new Dictionary<string, string> { ["WORKSPACE_ROOT"] = workspace };
        if (database is not null)
        {
            environment["DATABASE_PATH"] = database;
        }
        return environment;
    }

    private static AgentOptions Options(string workspace, string database) => new() { WorkspaceRoot = workspace, DatabasePath = database };

    private static string Real(params string[] parts) => PathLayout.RealPath(Path.Combine(parts));

    private sealed class FakeEnvironment(string contentRoot) : IWebHostEnvironment
    {
        public string WebRootPath { get; set; } = Path.Combine(contentRoot, "wwwroot");

        public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();

        public string ApplicationName { get; set; } = "Agent.Web";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();

        public string ContentRootPath { get; set; } = contentRoot;

        public string EnvironmentName { get; set; } = "Production";
    }
}
