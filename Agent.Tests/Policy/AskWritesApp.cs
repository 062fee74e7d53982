using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Policy;

/// <summary>
/// A server whose policy asks a person before every <c>write_file</c>, with a runner key (<c>runner</c>) that starts
/// runs and an operator key (<c>erin</c>) that answers approvals, beside the test admin key.
/// </summary>
internal static class AskWritesApp
{
    public static AgentApplication Create(string runnerKey, string operatorKey, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Policy:Rules:0:Id"] = "ask-writes",
            ["Policy:Rules:0:Tool"] = "write_file",
            ["Policy:Rules:0:Effect"] = "ask",
            ["Agent:ApiKeys:runner"] = runnerKey,
            ["Agent:KeyRoles:runner"] = "runner",
            ["Agent:ApiKeys:erin"] = operatorKey,
            ["Agent:KeyRoles:erin"] = "operator",
            ["Agent:KeyRoles:" + AgentApplication.ApiKeyName] = "admin",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        return new AgentApplication(all) { ConfigureServices = configureServices };
    }
}
