using System.Diagnostics;
using System.IO.Enumeration;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Agent.Core.Configuration;
using Agent.Core.Tools;
using Agent.Core.Workspace;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Agent.Tests.Infrastructure;

/// <summary>
/// The tool executor built straight from a ServiceCollection (<c>AddAgentTools</c>) over a fresh temporary
/// directory: <see cref="WorkspacePath"/> is the workspace, everything else under <see cref="RootPath"/> is
/// "outside". A sentinel file sits outside from the start; <see cref="AssertOutsideUntouched"/> proves that
/// nothing outside was changed or created and the sentinel's content never reached a result.
/// </summary>
public sealed class ToolHarness : IDisposable
{
    public const string SentinelText = "TOP-SECRET-SENTINEL-6f1c";

    private readonly TempDirectory _root = new("agent-tools");
    private readonly Action<IServiceCollection>? _configure;
    private ServiceProvider? _provider;
    private Dictionary<string, string>? _outsideSnapshot;

    public ToolHarness(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        _configure = configure;
        Directory.CreateDirectory(WorkspacePath);
        File.WriteAllText(SentinelPath, SentinelText);
        Settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Agent:WorkspaceRoot"] = WorkspacePath,
            ["Agent:MaxToolTimeout"] = "10",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            Settings[key] = value;
        }
    }

    public Dictionary<string, string?> Settings { get; }

    public string RootPath => _root.Path;

    public string WorkspacePath => _root.Combine("workspace");

    /// <summary>A secret next to the workspace that no tool may ever read or change.</summary>
    public string SentinelPath => _root.Combine("secret.txt");

    public IServiceProvider Services => _provider ??= Build();

    public ToolExecutor Executor => Services.GetRequiredService<ToolExecutor>();

    public WorkspaceRoot Workspace => Services.GetRequiredService<WorkspaceRoot>();

    public string InWorkspace(params string[] parts) => Path.Combine([WorkspacePath, .. parts]);

    public string Outside(params string[] parts) => Path.Combine([RootPath, .. parts]);

    /// <summary>Creates a file in the workspace (parents included) and returns its full path.</summary>
    public string WriteWorkspaceFile(string relative, string content)
    {
        var path = InWorkspace(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs a tool with JSON arguments (<c>null</c> for none), recording the outside world first.</summary>
    public Task<ToolExecutionResult> RunAsync(string tool, string? json, CancellationToken cancellationToken = default)
    {
        _outsideSnapshot ??= SnapshotOutside();
        return Executor.ExecuteAsync(tool, json is null ? null : JsonNode.Parse(json), cancellationToken);
    }

    /// <summary>Nothing outside the workspace was created, changed or deleted, and the sentinel's text appears in no result.</summary>
    public void AssertOutsideUntouched(params ToolExecutionResult[] results)
    {
        Assert.Equal(SentinelText, File.ReadAllText(SentinelPath));
        Assert.Equal(_outsideSnapshot ?? throw new InvalidOperationException("Run a tool first."), SnapshotOutside());
        foreach (var result in results)
        {
            Assert.DoesNotContain(SentinelText, result.Output?.ToJsonString() ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain(SentinelText, result.Error ?? "", StringComparison.Ordinal);
        }
    }

    /// <summary>Creates a named pipe with the system's mkfifo (no native bindings needed).</summary>
    public static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    private Dictionary<string, string> SnapshotOutside()
    {
        var snapshot = new Dictionary<string, string>(StringComparer.Ordinal);
        // Never into the workspace (a test may have made a link loop there) nor through a link: only what lies outside.
        var entries = new FileSystemEnumerable<string>(RootPath, (ref entry) => entry.ToFullPath(),
            new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
        {
            ShouldIncludePredicate = (ref entry) => entry.ToFullPath() != WorkspacePath,
            ShouldRecursePredicate = (ref entry) => !entry.Attributes.HasFlag(FileAttributes.ReparsePoint) && entry.ToFullPath() != WorkspacePath,
        };
        foreach (var entry in entries)
        {
            var info = new FileInfo(entry);
            snapshot[entry] = info.LinkTarget is { } target ? $"link:{target}"
                : Directory.Exists(entry) ? "dir"
                : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry)));
        }
        return snapshot;
    }

    private ServiceProvider Build()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddOptions<AgentOptions>().Bind(configuration.GetSection(AgentOptions.SectionName));
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        services.AddAgentTools(configuration);
        _configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public void Dispose()
    {
        _provider?.Dispose();
        _root.Dispose();
    }
}
