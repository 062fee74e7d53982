using System.Collections.Concurrent;
using Agent.Core;
using Agent.Core.Auditing;
using Agent.Core.Runs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agent.Tests.Infrastructure;

/// <summary>
/// The agent core without a web host: <c>AddAgentCore</c> over a temporary workspace and audit database,
/// migrated by the real <see cref="AuditDatabaseInitializer"/>, with every run event recorded.
/// </summary>
public sealed class AgentHarness : IAsyncDisposable
{
    private readonly TempDirectory _root;
    private readonly ServiceProvider _services;

    private AgentHarness(TempDirectory root, ServiceProvider services, RecordingRunEventSink events)
    {
        _root = root;
        _services = services;
        Events = events;
    }

    public string WorkspacePath => _root.Combine("workspace");

    public string DatabasePath => _root.Combine("data", "agent.db");

    public RecordingRunEventSink Events { get; }

    public IServiceProvider Services => _services;

    public AgentRunner Runner => _services.GetRequiredService<AgentRunner>();

    /// <summary>
    /// Local planner by default; <paramref name="settings"/> use configuration keys (<c>Llm:Provider</c>). A
    /// <paramref name="model"/> (e.g. <see cref="ScriptedChatService"/>) replaces whatever chat service the settings chose.
    /// </summary>
    public static async Task<AgentHarness> StartAsync(
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null, IChatCompletionService? model = null)
    {
        var root = new TempDirectory("agent-core");
        var all = new Dictionary<string, string?>
        {
            ["Agent:WorkspaceRoot"] = root.Combine("workspace"),
            ["Agent:DatabasePath"] = root.Combine("data", "agent.db"),
            ["Llm:Provider"] = "local",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        Directory.CreateDirectory(all["Agent:WorkspaceRoot"]!);
        if (all["Agent:DatabasePath"] is { Length: > 0 } database)
        {
            MigratedDatabase.CopyTo(database);
        }

        var services = new ServiceCollection();
        services.AddLogging();
        var events = new RecordingRunEventSink();
        services.AddSingleton<IRunEventSink>(events);
        configure?.Invoke(services);
        services.AddAgentCore(new ConfigurationBuilder().AddInMemoryCollection(all).Build());
        if (model is not null)
        {
            services.AddSingleton(model);
        }

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var harness = new AgentHarness(root, provider, events);
        await provider.GetServices<IHostedService>().OfType<AuditDatabaseInitializer>().Single().StartAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>Settings for a remote provider served by <paramref name="server"/>, with fast retries.</summary>
    public static Dictionary<string, string?> RemoteSettings(FakeOpenAiServer server) => RemoteSettings(server.BaseUrl);

    /// <summary>Settings for an OpenAI-compatible provider at <paramref name="baseUrl"/>, with fast retries.</summary>
    public static Dictionary<string, string?> RemoteSettings(string baseUrl) => new()
    {
        ["Llm:Provider"] = "openai-compatible",
        ["Llm:BaseUrl"] = baseUrl,
        ["Llm:Model"] = FakeOpenAiServer.ModelName,
        ["Llm:ApiKey"] = "sk-test-key",
        ["Llm:RetryDelayMs"] = "10",
        ["Llm:MaxRetries"] = "2",
    };

    /// <summary>Settings for <paramref name="provider"/> (anthropic, openai, groq, ollama) pointed at its fake through LLM_BASE_URL.</summary>
    public static Dictionary<string, string?> ProviderSettings(string provider, FakeOpenAiServer server) => new()
    {
        ["Llm:Provider"] = provider,
        ["Llm:BaseUrl"] = server.BaseUrl,
        ["Llm:Model"] = FakeOpenAiServer.ModelName,
        ["Llm:ApiKey"] = provider == "ollama" ? null : "sk-test-key",
        ["Llm:MaxOutputTokens"] = "512",
        ["Llm:RetryDelayMs"] = "10",
        ["Llm:MaxRetries"] = "2",
    };

    public Task<RunResult> RunAsync(string input, CancellationToken cancellationToken = default) =>
        Runner.RunAsync(new RunRequest(input, "api", "tests", "127.0.0.1"), cancellationToken);

    public string WriteFile(string relativePath, string content)
    {
        var path = Path.Combine(WorkspacePath, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Reads the audit database directly, as an operator would with sqlite3.</summary>
    public Task<List<Dictionary<string, object?>>> QueryAsync(string sql) => AuditDatabase.QueryAsync(DatabasePath, sql);

    public Task<List<Dictionary<string, object?>>> DecisionsAsync(string runId) =>
        QueryAsync($"SELECT * FROM decisions WHERE request_id = '{runId}' ORDER BY step");

    public Task<List<Dictionary<string, object?>>> ExecutionsAsync(string runId) =>
        QueryAsync($"SELECT * FROM tool_executions WHERE request_id = '{runId}' ORDER BY id");

    public async Task<Dictionary<string, object?>> RequestAsync(string runId) =>
        Assert.Single(await QueryAsync($"SELECT * FROM requests WHERE id = '{runId}'"));

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _root.Dispose();
    }
}

/// <summary>Keeps every run event in publication order.</summary>
public sealed class RecordingRunEventSink : IRunEventSink
{
    private readonly ConcurrentQueue<RunEvent> _events = new();

    public IReadOnlyList<RunEvent> All => _events.ToArray();

    public IReadOnlyList<string> TypesFor(string runId) => All.Where(e => e.RunId == runId).Select(e => e.Type).ToArray();

    public void Publish(RunEvent runEvent) => _events.Enqueue(runEvent);
}
