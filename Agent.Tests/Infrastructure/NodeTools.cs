using System.Diagnostics;

namespace Agent.Tests.Infrastructure;

/// <summary>
/// The pinned npm tools ./test.sh installs into .tools/ (openapi-typescript, typescript); a missing one fails the test
/// with the command that installs it.
/// </summary>
public static class NodeTools
{
    public const string InstallCommand = "npm install --prefix .tools openapi-typescript@7.13.0 typescript@5.9.3";

    public static string Bin(string name)
    {
        var path = Path.Combine(RepositoryPaths.Root, ".tools", "node_modules", ".bin", name);
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{name} not found at {path}. Run ./test.sh, or: {InstallCommand}");
    }

    /// <summary>Runs a tool to completion; returns its exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(Bin(tool)) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
