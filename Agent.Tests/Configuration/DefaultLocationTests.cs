using System.Globalization;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Configuration;

/// <summary>With no configuration the workspace and database live in the per-user data directory, never beside the sources, and start-up says where.</summary>
[Trait("Category", "Process")]
public sealed class DefaultLocationTests
{
    [Fact]
    public async Task Start_NoLocationsConfigured_UsesXdgDataHomeAndPrintsPaths()
    {
        using var directory = new TempDirectory("agent-defaults");
        var dataHome = directory.Combine("data-home");
        var port = FreePort.Next();

        await using var server = AgentProcess.Start(directory.Path, new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["XDG_DATA_HOME"] = dataHome,
        });
        await server.WaitUntilHealthyAsync(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromSeconds(60));

        var workspace = Path.Combine(dataHome, "autonomous-agent", "workspace");
        var database = Path.Combine(dataHome, "autonomous-agent", "data", "agent.db");
        var lines = server.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains($"Console: http://127.0.0.1:{port}/", lines);
        Assert.Contains($"Workspace: {workspace}", lines);
        Assert.Contains($"Database: {database}", lines);
        Assert.Single(lines, l => l.StartsWith("Workspace: ", StringComparison.Ordinal));
        Assert.True(Directory.Exists(workspace));
        Assert.True(File.Exists(database));
        Assert.Equal(["data-home"], Directory.GetFileSystemEntries(directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Start_NoXdgDataHome_UsesLocalShareUnderHome()
    {
        using var directory = new TempDirectory("agent-defaults");
        var home = Directory.CreateDirectory(directory.Combine("home")).FullName;
        var port = FreePort.Next();

        await using var server = AgentProcess.Start(directory.Path, new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["XDG_DATA_HOME"] = "",
            ["HOME"] = home,
        });
        await server.WaitUntilHealthyAsync(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromSeconds(60));

        var workspace = Path.Combine(home, ".local", "share", "autonomous-agent", "workspace");
        Assert.Contains($"Workspace: {workspace}", server.Stdout, StringComparison.Ordinal);
        Assert.True(Directory.Exists(workspace));
        Assert.True(File.Exists(Path.Combine(home, ".local", "share", "autonomous-agent", "data", "agent.db")));
    }

    /// <summary>As under `dotnet run --project Agent.Web`: the project directory (sources, appsettings.json) is the content root.</summary>
    [Fact]
    public async Task Start_FromProjectDirectory_KeepsWorkspaceAndDatabaseOutOfTheProject()
    {
        using var directory = new TempDirectory("agent-defaults");
        var project = Path.Combine(RepositoryPaths.Root, "Agent.Web");
        var port = FreePort.Next();

        await using var server = AgentProcess.Start(project, new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["XDG_DATA_HOME"] = directory.Path,
        });
        await server.WaitUntilHealthyAsync(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromSeconds(60));

        Assert.Contains($"Workspace: {Path.Combine(directory.Path, "autonomous-agent", "workspace")}", server.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Database: {Path.Combine(directory.Path, "autonomous-agent", "data", "agent.db")}", server.Stdout, StringComparison.Ordinal);
    }
}
