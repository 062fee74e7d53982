using System.Net;
using System.Net.Http.Json;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Configuration;

[Trait("Category", "Process")]
public sealed class StartupConfigurationTests
{
    [Theory]
    [InlineData("PORT", "abc", "PORT (Agent:Port) has value 'abc'")]
    [InlineData("MAX_TOOL_TIMEOUT", "-1", "MAX_TOOL_TIMEOUT (Agent:MaxToolTimeout) must be between")]
    [InlineData("RATE_LIMIT_REQUESTS", "0", "RATE_LIMIT_REQUESTS (Agent:RateLimitRequests) must be between")]
    [InlineData("BLOCKED_PERMISSIONS", "network,root", "BLOCKED_PERMISSIONS (Agent:BlockedPermissions) contains 'root'")]
    [InlineData("LLM_PROVIDER", "groq", "LLM_API_KEY (Llm:ApiKey) is required for provider 'groq'")]
    [InlineData("LLM_PROVIDER", "skynet", "LLM_PROVIDER (Llm:Provider) is 'skynet'")]
    [InlineData("AUDIT_RETENTION_DAYS", "0", "AUDIT_RETENTION_DAYS (Audit:RetentionDays) must be between")]
    [InlineData("AUDIT_SYNCHRONOUS", "off", "AUDIT_SYNCHRONOUS (Audit:Synchronous) must be 'full' or 'normal'")]
    [InlineData("HTTP_TIMEOUT", "0", "HTTP_TIMEOUT (Tools:HttpTimeout)")]
    [InlineData("Policy__ApprovalTimeout", "0", "Policy:ApprovalTimeout must be between 1 and 604800 seconds")]
    [InlineData("Policy__Rules__0__Effect", "maybe", "Policy:Rules:0:Effect is 'maybe'; use allow, ask or deny")]
    public async Task Start_InvalidValue_ExitsWithOneLineNamingTheKey(string variable, string value, string expected)
    {
        using var directory = new TempDirectory();

        await using var server = AgentProcess.Start(directory.Path, new Dictionary<string, string> { [variable] = value });

        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the server should refuse to start");
        Assert.Equal(2, server.ExitCode);
        var line = Assert.Single(server.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Invalid configuration: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", server.Stdout + server.Stderr);
    }

    [Fact]
    public async Task Start_DotEnvFile_ConfiguresPortAndKeyWithoutPrintingIt()
    {
        using var directory = new TempDirectory();
        var port = FreePort.Next();
        const string key = "dotenv-key-0123456789abcdef";
        File.WriteAllText(Path.Combine(directory.Path, ".env"), $"PORT={port}\nAGENT_API_KEY={key}\n# comment\nRATE_LIMIT_ENABLED=false\n");
        var baseUrl = new Uri($"http://127.0.0.1:{port}");

        await using var server = AgentProcess.Start(directory.Path, new Dictionary<string, string>());
        await server.WaitUntilHealthyAsync(baseUrl, TimeSpan.FromSeconds(60));

        using var client = new HttpClient { BaseAddress = baseUrl };
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        var response = await client.PostAsJsonAsync("/agent/run", new { input = "List the files in the workspace" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Directory.Exists(Path.Combine(directory.Path, ".xdg-data", "autonomous-agent", "workspace")));
        Assert.True(File.Exists(Path.Combine(directory.Path, ".xdg-data", "autonomous-agent", "data", "agent.db")));
        Assert.DoesNotContain(key, server.Stdout + server.Stderr);
        Assert.DoesNotContain("Generated API key", server.Stdout);
    }

    [Fact]
    public async Task Start_NoKeyConfigured_PrintsGeneratedKeyOnceAndAcceptsIt()
    {
        using var directory = new TempDirectory();
        var port = FreePort.Next();
        var baseUrl = new Uri($"http://127.0.0.1:{port}");

        await using var server = AgentProcess.Start(directory.Path, new Dictionary<string, string> { ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await server.WaitUntilHealthyAsync(baseUrl, TimeSpan.FromSeconds(60));

        var marker = "(shown once): ";
        var printed = server.Stdout.Split('\n').Where(l => l.Contains(marker, StringComparison.Ordinal)).ToList();
        var key = Assert.Single(printed).Split(marker)[1].Trim();
        Assert.True(key.Length >= 32);
        Assert.Equal(1, server.Stdout.Split(key).Length - 1);
        using var client = new HttpClient { BaseAddress = baseUrl };
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/agent/run", new { input = "check your health" })).StatusCode);
    }
}
