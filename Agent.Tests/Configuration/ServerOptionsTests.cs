using Agent.Web.Configuration;
using Agent.Web.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Agent.Tests.Configuration;

/// <summary>The host's settings in section <c>Agent</c>: bound in Agent.Web, each failure naming its key as the operator set it.</summary>
public sealed class ServerOptionsTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new ServerOptionsValidator().Validate(null, new ServerOptions()).Succeeded);
        Assert.True(new ApiKeyOptionsValidator().Validate(null, new ApiKeyOptions()).Succeeded);
    }

    [Theory]
    [InlineData("Host", " ", "HOST (Agent:Host) must not be empty.")]
    [InlineData("Port", "0", "PORT (Agent:Port) must be between 1 and 65535.")]
    [InlineData("Port", "65536", "PORT (Agent:Port) must be between 1 and 65535.")]
    [InlineData("RateLimitRequests", "0", "RATE_LIMIT_REQUESTS (Agent:RateLimitRequests) must be between 1 and 1000000.")]
    [InlineData("MaxRequestSize", "1023", "MAX_REQUEST_SIZE (Agent:MaxRequestSize) must be between 1024 and 104857600 bytes.")]
    [InlineData("CorsOrigins", "https://ok.example, javascript:alert(1)", "CORS_ORIGINS (Agent:CorsOrigins) contains 'javascript:alert(1)', which is not an http(s) origin.")]
    public void Validate_BadServerValue_FailsNamingTheKey(string key, string value, string expected)
    {
        var options = Bind<ServerOptions>(new() { [$"Agent:{key}"] = value });

        var result = new ServerOptionsValidator().Validate(null, options);

        Assert.Equal([expected], result.Failures);
    }

    [Fact]
    public void Validate_EveryBadServerValue_IsReportedTogether()
    {
        var result = new ServerOptionsValidator().Validate(null, new ServerOptions { Port = -1, RateLimitRequests = 0, MaxRequestSize = 0 });

        Assert.Equal(3, result.Failures!.Count());
    }

    [Fact]
    public void Validate_ShortKeyAndUnknownRole_FailNamingTheKey()
    {
        var options = Bind<ApiKeyOptions>(new()
        {
            ["Agent:ApiKeys:default"] = "too-short",
            ["Agent:ApiKeys:ci"] = "ci-key-0123456789abcdef",
            ["Agent:KeyRoles:ci"] = "root",
        });

        var result = new ApiKeyOptionsValidator().Validate(null, options);

        Assert.Equal(
            ["AGENT_API_KEY (Agent:ApiKeys:default) must be at least 16 characters long.",
             "Agent:KeyRoles:ci is 'root'; allowed roles are runner, auditor, admin, operator."],
            result.Failures);
        Assert.DoesNotContain("too-short", result.FailureMessage);
    }

    [Fact]
    public void AddAgentWebOptions_AgentSection_BindsTheHostsSettingsBesideCoresOwn()
    {
        using var services = Services(new()
        {
            ["Agent:Host"] = "0.0.0.0",
            ["Agent:Port"] = "9100",
            ["Agent:RateLimitEnabled"] = "false",
            ["Agent:CorsOrigins"] = "https://a.example, https://b.example",
            ["Agent:MaxRequestSize"] = "4096",
            ["Agent:ApiKeys:ci"] = "ci-key-0123456789abcdef",
            ["Agent:KeyRoles:ci"] = "auditor",
        });

        var server = services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var keys = services.GetRequiredService<IOptions<ApiKeyOptions>>().Value;

        Assert.Equal(("0.0.0.0", 9100, false, 4096L), (server.Host, server.Port, server.RateLimitEnabled, server.MaxRequestSize));
        Assert.Equal(["https://a.example", "https://b.example"], server.CorsOriginList);
        Assert.Equal("auditor", keys.KeyRoles["ci"]);
    }

    [Fact]
    public void ValidateAgentWebOptions_BadPort_ThrowsNamingTheKey()
    {
        using var services = Services(new() { ["Agent:Port"] = "70000" });

        var failure = Assert.Throws<OptionsValidationException>(services.ValidateAgentWebOptions);

        Assert.Contains("PORT (Agent:Port) must be between 1 and 65535.", failure.Failures);
    }

    [Fact]
    public void ApiKeyStore_ReloadWithAShortKey_KeepsThePreviousKeys()
    {
        const string Key = "ops-key-0123456789abcdef";
        using var services = Services(new() { ["Agent:ApiKeys:ops"] = Key });
        var configuration = (IConfigurationRoot)services.GetRequiredService<IConfiguration>();
        var store = services.GetRequiredService<ApiKeyStore>();

        configuration["Agent:ApiKeys:ops"] = "short";
        configuration.Reload();

        Assert.Equal("ops", store.Match(Key));
        Assert.Null(store.Match("short"));

        configuration["Agent:ApiKeys:ops"] = "rotated-ops-key-0123456789";
        configuration.Reload();

        Assert.Equal("ops", store.Match("rotated-ops-key-0123456789"));
        Assert.Null(store.Match(Key));
    }

    private static T Bind<T>(Dictionary<string, string?> settings) where T : new() =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Agent").Get<T>() ?? new T();

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddAgentWebOptions();
        services.AddOptions<ConsoleOptions>();
        services.AddSingleton<ApiKeyStore>();
        return services.BuildServiceProvider();
    }
}
