using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Agent.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Agent.Tests.Auditing;

/// <summary>Kills a real server process under load and checks that every acknowledged run survived intact.</summary>
public sealed class AuditCrashTests
{
    private const string ApiKey = "crash-test-key-0123456789abcdef";

    private sealed record Acknowledged(string RequestId, string Status, int Executions);

    [Fact]
    public async Task Kill_DuringConcurrentRuns_EveryAcknowledgedRunIsStoredAndDatabaseIsIntact()
    {
        var deadline = Stopwatch.StartNew();
        using var root = new TempDirectory("agent-crash");
        Directory.CreateDirectory(root.Combine("workspace"));
        File.WriteAllText(root.Combine("workspace", "notes.txt"), "hello\nworld");
        var databasePath = root.Combine("data", "agent.db");
        var acknowledged = new ConcurrentBag<Acknowledged>();

        var (server, baseAddress) = await StartServerAsync(root, databasePath);
        try
        {
            using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
            client.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
            using var stopLoad = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
            {
                for (var i = 0; !stopLoad.IsCancellationRequested; i++)
                {
                    try
                    {
                        var input = (worker + i) % 2 == 0 ? "List the files in the workspace" : "Read notes.txt";
                        using var response = await client.PostAsJsonAsync("/agent/run", new { input }, stopLoad.Token);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(stopLoad.Token));
                            var run = body.RootElement;
                            acknowledged.Add(new Acknowledged(run.GetProperty("request_id").GetString()!, run.GetProperty("status").GetString()!,
                                run.GetProperty("tool_executions").GetArrayLength()));
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
                    {
                        // The server was killed mid-request: this run was never acknowledged.
                    }
                }
            })).ToList();

            // Time under load is counted from here: a slow server start on a busy machine must not starve the load phase.
            var load = Stopwatch.StartNew();
            while (acknowledged.Count < 40 && load.Elapsed < TimeSpan.FromSeconds(45))
            {
                await Task.Delay(20);
            }
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            await stopLoad.CancelAsync();
            await Task.WhenAll(workers);
        }
        finally
        {
            Stop(server);
        }
        Assert.True(acknowledged.Count >= 40, $"only {acknowledged.Count} runs completed before the kill");

        var (restarted, restartedAddress) = await StartServerAsync(root, databasePath);
        try
        {
            await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            Assert.Equal("ok", await ScalarAsync(connection, "PRAGMA integrity_check"));
            Assert.Equal(0L, await ScalarAsync(connection, "SELECT COUNT(*) FROM requests WHERE status = 'running'"));
            foreach (var run in acknowledged)
            {
                Assert.Equal(run.Status, await ScalarAsync(connection, $"SELECT status FROM requests WHERE id = '{run.RequestId}'"));
                Assert.Equal(2L, await ScalarAsync(connection, $"SELECT COUNT(*) FROM decisions WHERE request_id = '{run.RequestId}'"));
                Assert.Equal((long)run.Executions, await ScalarAsync(connection, $"SELECT COUNT(*) FROM tool_executions WHERE request_id = '{run.RequestId}'"));
                Assert.NotNull(await ScalarAsync(connection, $"SELECT completion_hash FROM requests WHERE id = '{run.RequestId}'"));
                // Indexed in the same transaction: every acknowledged run is searchable after the crash.
                Assert.Equal(1L, await ScalarAsync(connection,
                    $"SELECT COUNT(*) FROM requests_fts WHERE requests_fts MATCH 'workspace OR notes' AND rowid = (SELECT seq FROM requests WHERE id = '{run.RequestId}')"));
            }

            using var client = new HttpClient { BaseAddress = restartedAddress };
            client.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
            using var verify = await client.GetJsonAsync("/audit/verify");
            Assert.Equal("ok", verify.RootElement.GetProperty("status").GetString());
        }
        finally
        {
            Stop(restarted);
        }
        Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(120), $"took {deadline.Elapsed}");
    }

    /// <summary>Starts <c>dotnet Agent.Web.dll</c> from this test's output directory and waits until /health answers.</summary>
    private static async Task<(Process Server, Uri Address)> StartServerAsync(TempDirectory root, string databasePath)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(Path.GetDirectoryName(typeof(Program).Assembly.Location)!, "Agent.Web.dll")])
        {
            WorkingDirectory = root.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["HOST"] = "127.0.0.1";
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["AGENT_API_KEY"] = ApiKey;
        start.Environment["WORKSPACE_ROOT"] = root.Combine("workspace");
        start.Environment["DATABASE_PATH"] = databasePath;
        start.Environment["RATE_LIMIT_ENABLED"] = "false";
        start.Environment["LLM_PROVIDER"] = "local";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var server = Process.Start(start)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();

        var address = new Uri($"http://127.0.0.1:{port}/");
        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var ready = Stopwatch.StartNew();
        while (ready.Elapsed < TimeSpan.FromSeconds(20))
        {
            Assert.False(server.HasExited, $"the server exited with code {(server.HasExited ? server.ExitCode : 0)}");
            try
            {
                if ((await probe.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return (server, address);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        Stop(server);
        throw new TimeoutException("The server did not become healthy within 20 s.");
    }

    private static void Stop(Process server)
    {
        if (!server.HasExited)
        {
            server.Kill(entireProcessTree: true);
            server.WaitForExit();
        }
        server.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
