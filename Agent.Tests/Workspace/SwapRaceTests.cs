using System.Diagnostics;
using System.Runtime.InteropServices;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Workspace;

/// <summary>
/// An attacker who can rename inside the workspace (another process, or run_command with mv) exchanges a directory
/// with a symbolic link to an outside directory as fast as it can while the file tools run. Whatever the timing,
/// nothing outside may be read, listed or written, with openat2 and with the O_NOFOLLOW walk used without it.
/// </summary>
[Trait("Category", "Slow")]
public sealed class SwapRaceTests : IDisposable
{
    private const uint RenameExchange = 2;
    private const int AtFdCwd = -100;
    private const string OutsideMarker = "OUTSIDE-ONLY-MARKER.txt";

    private readonly ToolHarness _tools = new();

    public void Dispose() => _tools.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FileTools_DirectorySwappedWithOutsideLinkDuringCalls_NeverReachOutside(bool useOpenat2)
    {
        _tools.WriteWorkspaceFile("d/secret.txt", "inside content");
        var outside = _tools.Outside("outside-dir");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.txt"), ToolHarness.SentinelText);
        File.WriteAllText(Path.Combine(outside, OutsideMarker), ToolHarness.SentinelText);
        Directory.CreateSymbolicLink(_tools.InWorkspace("swap"), outside);
        _tools.Workspace.UseOpenat2 = useOpenat2;
        var first = await _tools.RunAsync("list_dir", null);
        Assert.Equal(ToolExecutionStatus.Success, first.Status);

        var results = new List<ToolExecutionResult>();
        long swaps;
        using (var stop = new CancellationTokenSource())
        {
            var swapper = Task.Factory.StartNew(() => SwapUntil(_tools.InWorkspace("d"), _tools.InWorkspace("swap"), stop.Token), TaskCreationOptions.LongRunning);
            var clock = Stopwatch.StartNew();
            for (var i = 0; clock.Elapsed < TimeSpan.FromSeconds(4) || i < 150; i++)
            {
                results.Add(await _tools.RunAsync("read_file", """{"path": "d/secret.txt"}"""));
                results.Add(await _tools.RunAsync("list_dir", """{"path": "d"}"""));
                results.Add(await _tools.RunAsync("write_file", $$"""{"path": "d/pwned-{{i}}.txt", "content": "written by the agent"}"""));
            }
            await stop.CancelAsync();
            swaps = await swapper;
        }

        // The race really ran both ways: the swapper kept going and calls hit the directory as well as the link.
        Assert.True(swaps > 10_000, $"only {swaps} exchanges");
        Assert.True(results.Count >= 450);
        Assert.Contains(results, r => r.Status == ToolExecutionStatus.Success);
        Assert.Contains(results, r => r.Status != ToolExecutionStatus.Success);
        foreach (var result in results)
        {
            Assert.DoesNotContain(OutsideMarker, result.Output?.ToJsonString() ?? "", StringComparison.Ordinal);
        }
        Assert.Equal([OutsideMarker, "secret.txt"], Directory.GetFileSystemEntries(outside).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(ToolHarness.SentinelText, File.ReadAllText(Path.Combine(outside, "secret.txt")));
        _tools.AssertOutsideUntouched([.. results]);
        // Every write that succeeded landed in the real directory, and no temporary file was left anywhere.
        var written = Directory.GetFiles(_tools.WorkspacePath, "pwned-*", SearchOption.AllDirectories);
        Assert.Equal(results.Count(r => r.Status == ToolExecutionStatus.Success && r.Output!["bytes_written"] is not null), written.Length);
        Assert.Empty(Directory.GetFiles(_tools.RootPath, "*.tmp", SearchOption.AllDirectories));
    }

    private static long SwapUntil(string a, string b, CancellationToken stop)
    {
        long swaps = 0;
        while (!stop.IsCancellationRequested)
        {
            if (RenameAt2(AtFdCwd, a, AtFdCwd, b, RenameExchange) != 0)
            {
                throw new InvalidOperationException($"renameat2 failed (errno {Marshal.GetLastPInvokeError()}).");
            }
            swaps++;
        }
        return swaps;
    }

    // DllImport rather than LibraryImport: the source-generated form needs unsafe code enabled for the project.
    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static extern int RenameAt2(int olddirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldpath, int newdirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string newpath, uint flags);
}
