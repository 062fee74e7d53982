using Agent.Core;
using Agent.Core.Auditing;
using Agent.Core.Configuration;
using Agent.Web.Api;
using Agent.Web.Configuration;
using Microsoft.Extensions.Options;

namespace Agent.Web.Cli;

/// <summary>
/// <c>dotnet run --project Agent.Web -- audit verify</c>: checks the audit chain of the configured database (same
/// configuration sources as the server: appsettings.json, .env, environment, command line) without starting the
/// server. Prints OK or the first broken link; exit code 0 when intact, 1 when broken, 2 on usage or configuration errors.
/// </summary>
public static class AuditCommand
{
    public const int Intact = 0;
    public const int Broken = 1;
    public const int Failed = 2;

    public static bool Matches(string[] args) => args is ["audit", ..];

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? errors = null)
    {
        output ??= Console.Out;
        errors ??= Console.Error;
        if (args is not ["audit", "verify", .. var rest])
        {
            await errors.WriteLineAsync("Usage: Agent.Web audit verify [--Agent:DatabasePath=<path>]");
            return Failed;
        }

        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
            {
                Args = rest,
                ContentRootPath = Directory.GetCurrentDirectory(),
                DisableDefaults = false,
            });
            builder.Logging.ClearProviders();
            ConfigurationSetup.AddSeedSources(builder.Configuration, rest);
            builder.Services.AddAgentCore(builder.Configuration);
            using var host = builder.Build();

            var path = Path.GetFullPath(host.Services.GetRequiredService<IOptions<AgentOptions>>().Value.DatabasePath);
            if (!File.Exists(path))
            {
                await errors.WriteLineAsync($"No audit database at {path} (set DATABASE_PATH).");
                return Failed;
            }
            var result = await host.Services.GetRequiredService<AuditChainVerifier>().VerifyAsync();
            await output.WriteLineAsync($"{path}: {AuditVerifyResponse.From(result)}");
            return result.IsValid ? Intact : Broken;
        }
        catch (Exception ex) when (StartupFailure.TryDescribe(ex, out var message))
        {
            await errors.WriteLineAsync(message);
            return Failed;
        }
    }
}
