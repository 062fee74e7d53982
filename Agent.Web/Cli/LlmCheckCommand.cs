using Agent.Core;
using Agent.Core.Configuration;
using Agent.Core.Llm;
using Agent.Web.Configuration;
using Microsoft.Extensions.Options;

namespace Agent.Web.Cli;

/// <summary>
/// <c>dotnet run --project Agent.Web -- llm check</c>: one minimal tool-calling request to the configured provider (same
/// configuration sources as the server), printing the model that answered, the latency and whether a tool call came
/// back, or one line saying what to fix. Exit code 0 when the check passed, 1 when it failed, 2 on usage or configuration errors.
/// </summary>
public static class LlmCheckCommand
{
    public const int Passed = 0;
    public const int Failed = 1;
    public const int Unusable = 2;

    public static bool Matches(string[] args) => args is ["llm", ..];

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? errors = null)
    {
        output ??= Console.Out;
        errors ??= Console.Error;
        if (args is not ["llm", "check", .. var rest])
        {
            await errors.WriteLineAsync("Usage: Agent.Web llm check [--Llm:Provider=<name>] [--Llm:Model=<model>] [--Llm:BaseUrl=<url>]");
            return Unusable;
        }

        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
            {
                Args = rest,
                ContentRootPath = Directory.GetCurrentDirectory(),
            });
            builder.Logging.ClearProviders();
            ConfigurationSetup.AddSeedSources(builder.Configuration, rest);
            builder.Services.AddAgentCore(builder.Configuration);
            using var host = builder.Build();
            var llm = host.Services.GetRequiredService<IOptions<LlmOptions>>().Value;
            var wire = LlmProviders.All[llm.EffectiveProvider].Wire;

            await output.WriteLineAsync($"Provider {llm.EffectiveProvider} ({Describe(wire)}), model {llm.EffectiveModel}, endpoint {llm.EffectiveBaseUrl ?? "built in"}");
            var result = await host.Services.GetRequiredService<LlmCheck>().RunAsync();
            await output.WriteLineAsync(Format(result));
            return result.Passed ? Passed : Failed;
        }
        catch (Exception ex) when (StartupFailure.TryDescribe(ex, out var message))
        {
            await errors.WriteLineAsync(message);
            return Unusable;
        }
    }

    /// <summary>The one line the command and the console show for a result.</summary>
    public static string Format(LlmCheckResult result) => result.Passed
        ? $"OK: {result.AnsweredModel} answered in {result.LatencyMs} ms; tool call came back: yes (finish reason {result.FinishReason ?? "none"})."
        : $"FAILED after {result.LatencyMs} ms{(result.AnsweredModel is null ? "" : $" ({result.AnsweredModel} answered; tool call came back: {(result.ToolCalled ? "yes" : "no")})")}: {result.Problem}";

    private static string Describe(LlmWire wire) => wire switch
    {
        LlmWire.AnthropicMessages => "native Messages API",
        LlmWire.OpenAiChat => "OpenAI chat completions",
        _ => "offline planner",
    };
}
