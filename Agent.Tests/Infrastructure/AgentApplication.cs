using System.Net.Http.Json;
using Agent.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Agent.Tests.Infrastructure;

/// <summary>
/// The real application with its own temporary workspace and audit database. Settings use the
/// configuration keys (<c>Agent:RateLimitRequests</c>); pass more through <see cref="Settings"/> before first use.
/// </summary>
public sealed class AgentApplication : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-key-0123456789abcdef";
    public const string ApiKeyName = "tests";

    private readonly TempDirectory _root = new("agent-app");

    public AgentApplication(IDictionary<string, string?>? settings = null)
    {
        Directory.CreateDirectory(WorkspacePath);
        Settings = new Dictionary<string, string?>
        {
            [$"Agent:ApiKeys:{ApiKeyName}"] = ApiKey,
            ["Agent:WorkspaceRoot"] = WorkspacePath,
            ["Agent:DatabasePath"] = DatabasePath,
            ["Agent:RateLimitEnabled"] = "false",
            ["Llm:Provider"] = "local",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            Settings[key] = value;
        }
    }

    public Dictionary<string, string?> Settings { get; }

    /// <summary>A JSON settings file loaded on top, reloaded when it changes (as appsettings.json is), for live key changes.</summary>
    public string? ReloadableSettingsFile { get; init; }

    /// <summary>Replaces services after the application registered its own (fake model, extra tools).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    public string WorkspacePath => _root.Combine("workspace");

    public string DatabasePath => _root.Combine("data", "agent.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (Settings.GetValueOrDefault("Agent:DatabasePath") is { Length: > 0 } database)
        {
            MigratedDatabase.CopyTo(database);
        }
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        if (ReloadableSettingsFile is { } file)
        {
            builder.ConfigureAppConfiguration(configuration => configuration.AddJsonFile(file, optional: false, reloadOnChange: true));
        }
        // No one reads the in-process server's console: writing every log line there only costs the test run CPU.
        builder.ConfigureTestServices(services =>
        {
            foreach (var console in services.Where(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider)).ToList())
            {
                services.Remove(console);
            }
        });
        if (ConfigureServices is { } configure)
        {
            builder.ConfigureTestServices(configure);
        }
    }

    /// <summary>Serves on a real loopback port (for browsers and out-of-process clients) and returns its base URL.</summary>
    public Uri StartOnRealPort()
    {
        UseKestrel(0);
        StartServer();
        return ClientOptions.BaseAddress;
    }

    /// <summary>An HTTP client that sends the test API key.</summary>
    public HttpClient CreateAuthenticatedClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
        return client;
    }

    public async Task<HttpResponseMessage> RunAsync(string input, HttpClient? client = null) =>
        await (client ?? CreateAuthenticatedClient()).PostAsJsonAsync("/agent/run", new { input });

    /// <summary>Reads the audit database directly, as an operator would with sqlite3.</summary>
    public Task<List<Dictionary<string, object?>>> QueryAsync(string sql) => AuditDatabase.QueryAsync(DatabasePath, sql);

    public static System.Text.Json.JsonSerializerOptions Json => JsonDefaults.Compact;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _root.Dispose();
    }
}
