using Agent.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Agent.Tests.Llm;

/// <summary>The "llm" HttpClient's standard resilience handler, shaped by the Llm options.</summary>
public sealed class LlmResilienceTests
{
    [Theory]
    [InlineData(60, 30, 3, 1000, 30)]
    [InlineData(1, 30, 0, 1, 1)]
    [InlineData(3600, 3600, 10, 60000, 3600)]
    public void ResilienceOptions_AnyValidLlmOptions_AreAcceptedByTheHandler(int requestTimeout, int attemptTimeout, int maxRetries, int delayMs, int expectedAttemptSeconds)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "ollama",
            ["Llm:RequestTimeout"] = requestTimeout.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Llm:AttemptTimeout"] = attemptTimeout.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Llm:MaxRetries"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Llm:RetryDelayMs"] = delayMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Agent:WorkspaceRoot"] = Path.GetTempPath(),
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddAgentCore(configuration).BuildServiceProvider();

        // Resolving the named options runs the library's own validation (timeouts, sampling duration, retry ranges).
        var options = services.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get("llm-standard");

        Assert.Equal(TimeSpan.FromSeconds(expectedAttemptSeconds), options.AttemptTimeout.Timeout);
        Assert.True(options.TotalRequestTimeout.Timeout > TimeSpan.FromSeconds(requestTimeout));
        Assert.Equal(TimeSpan.FromMilliseconds(delayMs), options.Retry.Delay);
        Assert.Equal(Math.Max(1, maxRetries), options.Retry.MaxRetryAttempts);
        Assert.True(options.Retry.ShouldRetryAfterHeader);
        // Calls past the bound queue (the library's default is 1,000 with no queue: the next call failed at once).
        Assert.Equal(4096, options.RateLimiter.DefaultRateLimiterOptions.PermitLimit);
        Assert.Equal(int.MaxValue, options.RateLimiter.DefaultRateLimiterOptions.QueueLimit);
    }
}
