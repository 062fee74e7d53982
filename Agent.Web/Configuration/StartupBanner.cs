using Agent.Core.Configuration;
using Agent.Core.Workspace;
using Agent.Web.Security;
using Microsoft.Extensions.Options;

namespace Agent.Web.Configuration;

/// <summary>What an operator needs after start: where the console is, where the agent's files and audit live, and a generated key.</summary>
public static class StartupBanner
{
    /// <summary>Printed to the console once, never logged: the generated key has no other copy.</summary>
    public static void Print(WebApplication app, TextWriter output)
    {
        foreach (var url in app.Urls)
        {
            output.WriteLine($"Console: {url.TrimEnd('/')}/");
        }
        output.WriteLine($"Workspace: {app.Services.GetRequiredService<WorkspaceRoot>().FullPath}");
        output.WriteLine($"Database: {Path.GetFullPath(app.Services.GetRequiredService<IOptions<AgentOptions>>().Value.DatabasePath)}");
        if (app.Services.GetRequiredService<ApiKeyStore>().TakeGeneratedKey() is { } generated)
        {
            output.WriteLine($"No AGENT_API_KEY configured. Generated API key for this run (shown once): {generated}");
        }
    }
}
