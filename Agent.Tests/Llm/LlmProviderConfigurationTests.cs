using Agent.Core;
using Agent.Core.Configuration;
using Agent.Core.Llm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using Microsoft.SemanticKernel.Services;

namespace Agent.Tests.Llm;

/// <summary>LLM_PROVIDER / LLM_API_KEY / LLM_MODEL / LLM_BASE_URL: which model is built, and what stops start-up.</summary>
public sealed class LlmProviderConfigurationTests
{
    [Theory]
    [InlineData("anthropic")]
    [InlineData("groq")]
    [InlineData("openai")]
    public void Validate_ProviderNeedingKeyWithoutKey_FailsNamingLlmApiKey(string provider)
    {
        var result = new LlmOptionsValidator().Validate(null, new LlmOptions { Provider = provider });

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("LLM_API_KEY (Llm:ApiKey) is required for provider", failure);
        Assert.Contains($"'{provider}'", failure);
    }

    [Theory]
    [InlineData("ollama", null)]
    [InlineData("local", null)]
    [InlineData("openai-compatible", "http://127.0.0.1:1234/v1")]
    [InlineData("groq", null)]
    public void Validate_ProviderWithWhatItNeeds_Succeeds(string provider, string? baseUrl)
    {
        var options = new LlmOptions { Provider = provider, BaseUrl = baseUrl, ApiKey = provider == "groq" ? "gsk-test" : null };

        var result = new LlmOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_UnknownProvider_FailsListingTheAllowedValues()
    {
        var result = new LlmOptionsValidator().Validate(null, new LlmOptions { Provider = "skynet" });

        Assert.Equal(
            "LLM_PROVIDER (Llm:Provider) is 'skynet'; allowed values are local, anthropic, groq, openai, ollama, openai-compatible.",
            Assert.Single(result.Failures!));
    }

    [Fact]
    public void Validate_OpenAiCompatibleWithoutBaseUrl_FailsNamingLlmBaseUrl()
    {
        var result = new LlmOptionsValidator().Validate(null, new LlmOptions { Provider = "openai-compatible" });

        Assert.Equal("LLM_BASE_URL (Llm:BaseUrl) is required for provider 'openai-compatible'.", Assert.Single(result.Failures!));
    }

    [Fact]
    public void Validate_EveryBadNumber_IsReportedWithItsKey()
    {
        var options = new LlmOptions { BaseUrl = "ftp://example.com", RequestTimeout = 0, AttemptTimeout = 0, MaxRetries = 11, RetryDelayMs = 0, MaxConcurrentCalls = 0 };

        var failures = new LlmOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Equal(6, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("LLM_BASE_URL (Llm:BaseUrl) must be an absolute http(s) URL", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("LLM_TIMEOUT (Llm:RequestTimeout)", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Llm:AttemptTimeout", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Llm:MaxRetries", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Llm:RetryDelayMs", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Llm:MaxConcurrentCalls", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, null, "local")]
    [InlineData(null, "sk-ant-key", "anthropic")]
    [InlineData(" Groq ", "gsk-key", "groq")]
    [InlineData("ollama", null, "ollama")]
    public void EffectiveProvider_ProviderAndKey_PicksAsTheSeedDoes(string? provider, string? apiKey, string expected)
    {
        Assert.Equal(expected, new LlmOptions { Provider = provider, ApiKey = apiKey }.EffectiveProvider);
    }

    [Fact]
    public void StartUp_ProviderNeedingKeyWithoutKey_StopsWithAMessageNamingTheKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "groq",
            ["Agent:WorkspaceRoot"] = Path.GetTempPath(),
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddAgentCore(configuration).BuildServiceProvider();

        // The host runs the same validator at start-up (ValidateOnStart) before it serves anything.
        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("LLM_API_KEY (Llm:ApiKey) is required for provider 'groq'", failure.Message);
    }

    [Fact]
    public void Create_NoProviderAndNoKey_IsTheLocalPlanner()
    {
        using var services = BuildServices(new Dictionary<string, string?>());

        Assert.IsType<LocalPlanner>(services.GetRequiredService<IChatCompletionService>());
    }

    [Theory]
    [InlineData("groq", "openai/gpt-oss-120b", "https://api.groq.com/openai/v1/")]
    [InlineData("openai", "gpt-5.4-mini", "https://api.openai.com/v1/")]
    [InlineData("ollama", "qwen3", "http://127.0.0.1:11434/v1/")]
    public void Create_OpenAiWireProvider_UsesItsDefaultModelAndEndpoint(string provider, string model, string endpoint)
    {
        using var services = BuildServices(new Dictionary<string, string?>
        {
            ["Llm:Provider"] = provider,
            ["Llm:ApiKey"] = provider == "ollama" ? null : "test-key",
        });

        var chat = Assert.IsType<OpenAIChatCompletionService>(services.GetRequiredService<IChatCompletionService>());

        Assert.Equal(model, chat.GetModelId());
        Assert.Equal(endpoint, chat.GetEndpoint());
    }

    [Fact]
    public void Create_Anthropic_IsTheNativeSdkClientWithTheCurrentDefaultModel()
    {
        using var services = BuildServices(new Dictionary<string, string?> { ["Llm:Provider"] = "anthropic", ["Llm:ApiKey"] = "sk-ant-test" });

        var chat = services.GetRequiredService<IChatCompletionService>();

        Assert.IsNotType<OpenAIChatCompletionService>(chat);
        Assert.Equal("claude-sonnet-4-6", services.GetRequiredService<IOptions<LlmOptions>>().Value.EffectiveModel);
        Assert.Equal("claude-sonnet-4-6", chat.GetModelId());
    }

    [Theory]
    [InlineData("https://api.anthropic.com", "https://api.anthropic.com")]
    [InlineData("https://api.anthropic.com/v1/", "https://api.anthropic.com")]
    [InlineData("http://127.0.0.1:9000/gateway/v1", "http://127.0.0.1:9000/gateway")]
    public void AnthropicBaseUrl_GivenWithOrWithoutV1_IsTheRootTheSdkAppendsTo(string configured, string expected)
    {
        Assert.Equal(expected, ChatServiceFactory.AnthropicBaseUrl(configured));
    }

    [Theory]
    [InlineData(15)]
    [InlineData(128_001)]
    public void Validate_MaxOutputTokensOutOfRange_FailsNamingLlmMaxTokens(int tokens)
    {
        var result = new LlmOptionsValidator().Validate(null, new LlmOptions { MaxOutputTokens = tokens });

        Assert.Equal("LLM_MAX_TOKENS (Llm:MaxOutputTokens) must be between 16 and 128000 tokens.", Assert.Single(result.Failures!));
    }

    [Fact]
    public void Create_ModelAndBaseUrlGiven_OverrideTheProviderDefaults()
    {
        using var services = BuildServices(new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "openai-compatible",
            ["Llm:Model"] = "qwen2.5-coder",
            ["Llm:BaseUrl"] = "http://10.0.0.5:8080/v1",
        });

        var chat = Assert.IsType<OpenAIChatCompletionService>(services.GetRequiredService<IChatCompletionService>());

        Assert.Equal("qwen2.5-coder", chat.GetModelId());
        Assert.StartsWith("http://10.0.0.5:8080/v1", chat.GetEndpoint());
    }

    private static ServiceProvider BuildServices(Dictionary<string, string?> settings)
    {
        settings["Agent:WorkspaceRoot"] = Path.GetTempPath();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddAgentCore(configuration).BuildServiceProvider();
    }
}
