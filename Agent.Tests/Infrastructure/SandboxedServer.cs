using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agent.Tests.Infrastructure;

/// <summary>
/// The built server as a child process with secrets in its environment (an agent key, a second API key and the
/// LLM key), its own content root, home, workspace and audit database, and an OpenAI-compatible fake model that
/// asks for exactly the <c>run_command</c> call a test wants. For attacking the command sandbox from inside.
/// </summary>
public sealed class SandboxedServer : IAsyncDisposable
{
    private readonly TempDirectory _root = new("agent-sandboxed");
    private readonly SemaphoreSlim _oneRunAtATime = new(1, 1);
    private FakeOpenAiServer? _llm;
    private AgentProcess? _server;

    public string AgentKey { get; } = Secret("agent");

    public string SecondApiKey { get; } = Secret("second");

    public string LlmKey { get; } = Secret("llm");

    public IReadOnlyList<string> Secrets => [AgentKey, SecondApiKey, LlmKey];

    /// <summary>The server's working directory, which is its content root.</summary>
    public string ContentRoot => _root.Combine("server");

    public string Home => _root.Combine("home");

    public string WorkspacePath => _root.Combine("workspace");

    public string DatabasePath => _root.Combine("data", "agent.db");

    public Uri BaseUrl { get; private set; } = null!;

    public int ServerPid => _server!.Id;

    public string ServerStdout => _server!.Stdout;

    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(120) };

    /// <summary>Starts the server as this process's user, or as <paramref name="runAsUid"/> (owning every directory it needs).</summary>
    public static async Task<SandboxedServer> StartAsync(IDictionary<string, string> settings, int? runAsUid = null)
    {
        var server = new SandboxedServer();
        await server.StartCoreAsync(settings, runAsUid);
        return server;
    }

    private async Task StartCoreAsync(IDictionary<string, string> settings, int? runAsUid)
    {
        foreach (var directory in new[] { ContentRoot, Home, WorkspacePath, Path.GetDirectoryName(DatabasePath)! })
        {
            Directory.CreateDirectory(directory);
        }
        File.WriteAllText(Path.Combine(ContentRoot, "server-secret.txt"), AgentKey);
        File.WriteAllText(Path.Combine(Home, "home-secret.txt"), AgentKey);
        string[] launcher = [];
        if (runAsUid is { } uid)
        {
            var id = uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
            using (var chown = System.Diagnostics.Process.Start("/bin/chown", ["-R", $"{id}:{id}", _root.Path])!)
            {
                await chown.WaitForExitAsync();
                Assert.Equal(0, chown.ExitCode);
            }
            launcher = ["/usr/bin/setpriv", $"--reuid={id}", $"--regid={id}", "--clear-groups"];
        }
        _llm = await FakeOpenAiServer.StartAsync();
        var port = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = Home,
            ["XDG_DATA_HOME"] = Path.Combine(Home, ".local", "share"),
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AGENT_API_KEY"] = AgentKey,
            ["Agent__ApiKeys__second"] = SecondApiKey,
            ["LLM_PROVIDER"] = "openai-compatible",
            ["LLM_BASE_URL"] = _llm.BaseUrl,
            ["LLM_MODEL"] = FakeOpenAiServer.ModelName,
            ["LLM_API_KEY"] = LlmKey,
            ["WORKSPACE_ROOT"] = WorkspacePath,
            ["DATABASE_PATH"] = DatabasePath,
            ["RATE_LIMIT_ENABLED"] = "false",
            ["BLOCKED_PERMISSIONS"] = "network",
            ["MAX_TOOL_TIMEOUT"] = "120",
            ["MAX_OUTPUT_SIZE"] = "200000",
            ["COMMAND_MAX_OUTPUT"] = "100000",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }
        if (runAsUid is not null)
        {
            // The build's static-asset manifest points into root's NuGet cache, which another user cannot read; the console's assets are not needed here.
            environment["ASPNETCORE_STATICWEBASSETS"] = Path.Combine(_root.Path, "no-static-web-assets.json");
        }
        _server = AgentProcess.StartVia(launcher, AgentProcess.ServerAssembly, ContentRoot, environment);
        BaseUrl = new Uri($"http://127.0.0.1:{port}");
        Client.BaseAddress = BaseUrl;
        Client.DefaultRequestHeaders.Add("X-API-Key", AgentKey);
        await _server.WaitUntilHealthyAsync(BaseUrl, TimeSpan.FromSeconds(60));
    }

    /// <summary>Has the model call <c>run_command</c> once and returns the execution as the API reported it and as the audit stored it.</summary>
    public async Task<CommandRun> RunCommandAsync(string command, params string[] args)
    {
        await _oneRunAtATime.WaitAsync();
        try
        {
            var arguments = new JsonObject { ["command"] = command, ["args"] = new JsonArray(args.Select(a => (JsonNode?)a).ToArray()) };
            _llm!.Enqueue(FakeReply.Call("run_command", arguments.ToJsonString()), FakeReply.Text("done"));
            using var response = await Client.PostAsJsonAsync("/agent/run", new { input = $"run {command}" });
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
            var execution = Assert.Single(body["tool_executions"]!.AsArray())!;
            var requestId = body["request_id"]!.GetValue<string>();
            var rows = await AuditDatabase.QueryAsync(DatabasePath, $"SELECT * FROM tool_executions WHERE request_id = '{requestId}'");
            return new CommandRun(
                execution["status"]!.GetValue<string>(),
                execution["output"],
                execution["error"]?.GetValue<string>(),
                Assert.Single(rows),
                body.ToJsonString());
        }
        finally
        {
            _oneRunAtATime.Release();
        }
    }

    /// <summary>Fails when any secret of the server appears in <paramref name="texts"/>.</summary>
    public void AssertNoSecretIn(params string?[] texts)
    {
        foreach (var text in texts)
        {
            foreach (var secret in Secrets)
            {
                Assert.DoesNotContain(secret, text ?? "", StringComparison.Ordinal);
            }
        }
    }

    private static string Secret(string name) => $"sk-{name}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant()}";

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        if (_llm is not null)
        {
            await _llm.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _root.Dispose();
        _oneRunAtATime.Dispose();
    }
}

/// <summary>One run_command execution: the API's view (status, output, error), the audit row, and the whole response.</summary>
public sealed record CommandRun(string Status, JsonNode? Output, string? Error, Dictionary<string, object?> AuditRow, string Response)
{
    public string Stdout => Output?["stdout"]?.GetValue<string>() ?? "";

    public string Stderr => Output?["stderr"]?.GetValue<string>() ?? "";

    public int ExitCode => Output?["exit_code"]?.GetValue<int>() ?? -1;

    /// <summary>The audit row agrees with the API on status, output and error.</summary>
    public void AssertAudited()
    {
        Assert.Equal(Status, AuditRow["status"]);
        Assert.Equal(Error, AuditRow["error"] as string);
        if (Output is not null)
        {
            Assert.True(JsonNode.DeepEquals(Output, JsonNode.Parse((string)AuditRow["output"]!)), $"audit output differs: {AuditRow["output"]}");
        }
        Assert.Equal("run_command", AuditRow["tool_name"]);
    }

    public string AllText => Response + JsonSerializer.Serialize(AuditRow);
}
