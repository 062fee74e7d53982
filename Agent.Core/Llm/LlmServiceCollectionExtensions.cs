using Agent.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Agent.Core.Llm;

public static class LlmServiceCollectionExtensions
{
    public static IServiceCollection AddAgentLlm(this IServiceCollection services)
    {
        services.AddHttpClient(ChatServiceFactory.HttpClientName, client =>
            {
                // Deadlines come from the resilience pipeline and the orchestrator, not from HttpClient's 100 s default.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(CreateTransport)
            // The factory's request logging opens a logging scope per call and logs nothing at the shipped levels; the
            // orchestrator records each call's outcome itself.
            .RemoveAllLoggers()
            .AddHttpMessageHandler(sp => new MaxTokensFieldHandler(sp.GetRequiredService<IOptions<LlmOptions>>().Value.EffectiveProvider))
            .AddStandardResilienceHandler()
            .Configure((resilience, sp) =>
            {
                try
                {
                    ConfigureResilience(resilience, sp.GetRequiredService<IOptions<LlmOptions>>().Value);
                }
                catch (OptionsValidationException)
                {
                    // Invalid Llm options stop start-up through their own validator; reporting them here too would say it twice.
                }
            });
        services.AddSingleton<ToolFunctionCatalog>();
        services.AddSingleton<LlmCheck>();
        services.AddSingleton(sp => ChatServiceFactory.Create(sp.GetRequiredService<IOptions<LlmOptions>>(), sp.GetRequiredService<IHttpClientFactory>()));
        return services;
    }

    /// <summary>
    /// The connection to the model provider. It carries no trace context: ASP.NET Core's per-request activity (and the
    /// caller's own <c>traceparent</c> and <c>baggage</c>) would otherwise go to a third party on every call, and without a
    /// propagator HttpClient creates no activity per call either. No cookies either: nothing a provider sets is carried
    /// from one run's call to another's.
    /// </summary>
    private static SocketsHttpHandler CreateTransport() => new()
    {
        ActivityHeadersPropagator = null,
        UseCookies = false,
    };

    /// <summary>
    /// Retries 429 (honouring Retry-After), 5xx, network failures and attempt timeouts with jittered exponential backoff,
    /// and bounds the calls in flight at <see cref="LlmOptions.MaxConcurrentCalls"/>.
    /// </summary>
    internal static void ConfigureResilience(HttpStandardResilienceOptions resilience, LlmOptions llm)
    {
        // The standard handler's own bound is 1,000 concurrent calls with no queue: the 1,001st run waiting on the model
        // failed at once. Past the configured bound a call waits for a slot, inside the call's own deadline; the queue
        // needs no bound of its own, since each run waits on one call at most.
        resilience.RateLimiter.DefaultRateLimiterOptions.PermitLimit = llm.MaxConcurrentCalls;
        resilience.RateLimiter.DefaultRateLimiterOptions.QueueLimit = int.MaxValue;
        var attempt = llm.EffectiveAttemptTimeout;
        resilience.AttemptTimeout.Timeout = attempt;
        // The orchestrator's per-call deadline (RequestTimeout) ends the call first; this is only a backstop.
        resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(llm.RequestTimeout) + TimeSpan.FromSeconds(1);
        // The circuit breaker must observe at least two attempts' worth of time.
        resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, attempt.Ticks * 2 + 1));

        resilience.Retry.BackoffType = DelayBackoffType.Exponential;
        resilience.Retry.UseJitter = true;
        resilience.Retry.Delay = TimeSpan.FromMilliseconds(llm.RetryDelayMs);
        resilience.Retry.ShouldRetryAfterHeader = true;
        // Polly needs at least one attempt configured; zero retries is expressed by handling nothing.
        resilience.Retry.MaxRetryAttempts = Math.Max(1, llm.MaxRetries);
        if (llm.MaxRetries == 0)
        {
            resilience.Retry.ShouldHandle = _ => PredicateResult.False();
        }
    }
}
