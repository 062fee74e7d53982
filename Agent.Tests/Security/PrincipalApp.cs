using System.Net.Http.Json;
using System.Text.Json;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agent.Tests.Security;

/// <summary>
/// The application with five keys: runner alice, runner bob, auditor carol, admin dave and operator erin. Instructions that start
/// with "wait" stay running until cancelled; others finish at once.
/// </summary>
internal static class PrincipalApp
{
    public const string Alice = "alice-key-0123456789abcdef";
    public const string Bob = "bob-key-0123456789abcdef00";
    public const string Carol = "carol-key-0123456789abcdef";
    public const string Dave = "dave-key-0123456789abcdef0";
    public const string Erin = "erin-key-0123456789abcdef0";

    public static readonly IReadOnlyDictionary<string, string?> Keys = new Dictionary<string, string?>
    {
        ["alice"] = Alice,
        ["bob"] = Bob,
        ["carol"] = Carol,
        ["dave"] = Dave,
        ["none"] = null,
        ["erin"] = Erin,
    };

    public static AgentApplication Create(IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Agent:ApiKeys:alice"] = Alice,
            ["Agent:ApiKeys:bob"] = Bob,
            ["Agent:ApiKeys:carol"] = Carol,
            ["Agent:ApiKeys:dave"] = Dave,
            ["Agent:KeyRoles:alice"] = "runner",
            ["Agent:KeyRoles:carol"] = "auditor",
            ["Agent:KeyRoles:dave"] = "admin",
            ["Agent:ApiKeys:erin"] = Erin,
            ["Agent:KeyRoles:erin"] = "operator",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        return new AgentApplication(all)
        {
            ConfigureServices = services =>
            {
                services.AddSingleton<IAgentTool>(new BlockingTool());
                services.AddSingleton<IChatCompletionService>(new WaitOnRequestChatService());
            },
        };
    }

    public static HttpClient Client(Uri baseUrl, string? key)
    {
        var client = ConsoleHttp.Client(baseUrl);
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-API-Key", key);
        }
        return client;
    }

    /// <summary>Starts a background run as <paramref name="key"/> and returns its id.</summary>
    public static async Task<string> StartAsync(Uri baseUrl, string key, string input)
    {
        using var client = Client(baseUrl, key);
        var response = await client.PostAsJsonAsync("/agent/runs", new { input });
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString()!;
    }

    /// <summary>Runs to the end as <paramref name="key"/> and returns the audited run's id.</summary>
    public static async Task<string> RunAsync(Uri baseUrl, string key, string input)
    {
        using var client = Client(baseUrl, key);
        var response = await client.PostAsJsonAsync("/agent/run", new { input });
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString()!;
    }
}
