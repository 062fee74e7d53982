using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Agent.Core.Configuration;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Configuration;

/// <summary>
/// A model writes a Razor page with @page and [AllowAnonymous] and a C# file through write_file, into the default
/// workspace and into the old in-project layout (Agent.Web/workspace, Agent.Web/data). The server is then built
/// from a copy of the sources, as `dotnet run` or ./test.sh would: the build succeeds and the page is not served.
/// </summary>
[Trait("Category", "Process")]
public sealed class PlantedCodeTests
{
    private const string Route = "/pwn-planted-7f3a";
    private const string ApiKey = "planted-test-key-0123456789abcdef";

    private static readonly string PlantedPage = $$"""
        @page "{{Route}}"
        @attribute [Microsoft.AspNetCore.Authorization.AllowAnonymous]
        <p>@Environment.GetEnvironmentVariable("AGENT_API_KEY") @Environment.GetEnvironmentVariable("LLM_API_KEY")</p>
        """;

    private const string PlantedCode = "notes from the agent: this is not C#, and any build that compiles it fails {";

    [Fact]
    public async Task Build_CodePlantedInDefaultAndOldWorkspaces_SucceedsAndPlantedRouteIs404()
    {
        using var directory = new TempDirectory("agent-planted");
        var sources = directory.Combine("src");
        CopySources(RepositoryPaths.Root, sources);
        var dataHome = directory.Combine("data-home");
        string[] workspaces =
        [
            Path.Combine(dataHome, AgentDataDirectory.AppFolder, "workspace"),
            Path.Combine(sources, "Agent.Web", "workspace"),
            Path.Combine(sources, "Agent.Web", "data"),
        ];
        foreach (var workspace in workspaces)
        {
            await PlantAsync(workspace);
        }

        var (exitCode, output) = await RunAsync("dotnet", sources, TimeSpan.FromMinutes(10),
            "build", Path.Combine(sources, "Agent.Web", "Agent.Web.csproj"), "-c", "Release", "-nologo", "-v", "quiet",
            "-nodeReuse:false", "-p:UseSharedCompilation=false");

        Assert.True(exitCode == 0, $"build failed:\n{output}");
        var assembly = Path.Combine(sources, "Agent.Web", "bin", "Release", "net10.0", "Agent.Web.dll");
        var image = File.ReadAllBytes(assembly);
        Assert.Equal(-1, image.AsSpan().IndexOf(Encoding.Unicode.GetBytes(Route)));
        Assert.Equal(-1, image.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Route)));

        var run = Directory.CreateDirectory(directory.Combine("run")).FullName;
        var port = FreePort.Next();
        var baseUrl = new Uri($"http://127.0.0.1:{port}");
        await using var server = AgentProcess.StartAssembly(assembly, run, new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["XDG_DATA_HOME"] = dataHome,
            ["AGENT_API_KEY"] = ApiKey,
        });
        await server.WaitUntilHealthyAsync(baseUrl, TimeSpan.FromSeconds(60));
        using var client = new HttpClient { BaseAddress = baseUrl };

        var response = await client.GetAsync(Route);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(ApiKey, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains($"Workspace: {workspaces[0]}", server.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(workspaces[0], "Pwn.razor")), "the planted page is still in the live workspace");
    }

    /// <summary>Writes the page and the code file through the tool executor, as a model's tool calls would.</summary>
    private static async Task PlantAsync(string workspace)
    {
        using var tools = new ToolHarness(new Dictionary<string, string?> { ["Agent:WorkspaceRoot"] = workspace });
        foreach (var (path, content) in new[] { ("Pwn.razor", PlantedPage), ("Evil.cs", PlantedCode), ("Pages/Pwn.razor", PlantedPage) })
        {
            var result = await tools.Executor.ExecuteAsync("write_file", new JsonObject { ["path"] = path, ["content"] = content }, CancellationToken.None);
            Assert.True(result.Status == ToolExecutionStatus.Success, result.Error);
        }
        Assert.True(File.Exists(Path.Combine(workspace, "Evil.cs")));
    }

    /// <summary>The two projects the server is built from and the build settings beside them; no bin, obj or git.</summary>
    private static void CopySources(string root, string destination)
    {
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig" })
        {
            Directory.CreateDirectory(destination);
            File.Copy(Path.Combine(root, file), Path.Combine(destination, file));
        }
        foreach (var project in new[] { "Agent.Core", "Agent.Web" })
        {
            CopyTree(Path.Combine(root, project), Path.Combine(destination, project));
        }
    }

    private static void CopyTree(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }
        foreach (var child in Directory.GetDirectories(source))
        {
            if (Path.GetFileName(child) is not ("bin" or "obj" or "workspace" or "data" or "node_modules"))
            {
                CopyTree(child, Path.Combine(destination, Path.GetFileName(child)));
            }
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {timeout}.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
