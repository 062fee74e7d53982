using System.Diagnostics;
using System.Net;
using Agent.Core.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Polly.Timeout;

namespace Agent.Core.Llm;

/// <summary>The outcome of one provider check; <see cref="Problem"/> is one line saying what to fix, null when it passed.</summary>
public sealed record LlmCheckResult(
    string Provider,
    string Model,
    string? Endpoint,
    string? AnsweredModel,
    long LatencyMs,
    bool ToolCalled,
    string? FinishReason,
    string? Problem,
    DateTimeOffset CheckedAt)
{
    public bool Passed => Problem is null;
}

/// <summary>
/// One minimal tool-calling request to the configured provider, through the same chat service, HTTP client and retries
/// as a run: does the key work, does the model exist, does it call a tool. Nothing is executed. The last result is kept
/// for the console; checks never overlap.
/// </summary>
public sealed class LlmCheck(IChatCompletionService chat, IOptions<LlmOptions> options, TimeProvider clock)
{
    public const string ProbeTool = "report_status";

    private const string Instruction =
        "This is a connectivity check by the operator. Call the report_status tool exactly once with status \"ok\". Do not answer in text.";

    private readonly SemaphoreSlim _gate = new(1, 1);

    public LlmCheckResult? Last { get; private set; }

    public bool Running => _gate.CurrentCount == 0;

    public async Task<LlmCheckResult> RunAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return Last = await CheckAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<LlmCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var llm = options.Value;
        var provider = llm.EffectiveProvider;
        var model = llm.EffectiveModel;
        var endpoint = llm.EffectiveBaseUrl;
        var attempts = llm.MaxRetries + 1;
        LlmCheckResult Result(long latency, string? answered, bool called, string? finish, string? problem) =>
            new(provider, model, endpoint, answered, latency, called, finish, problem, clock.GetUtcNow());

        var history = new ChatHistory(Instruction);
        history.AddUserMessage("check your health");
        var settings = new PromptExecutionSettings
        {
            ModelId = model,
            ExtensionData = new Dictionary<string, object> { ["max_tokens"] = llm.MaxOutputTokens },
            FunctionChoiceBehavior = FunctionChoiceBehavior.Auto([ProbeFunction()], autoInvoke: false),
        };
        // The deadline runs on the injected clock, so a test advances time instead of waiting LLM_TIMEOUT out.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(llm.RequestTimeout), clock);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var started = Stopwatch.GetTimestamp();
        long Elapsed() => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        try
        {
            var reply = await chat.GetChatMessageContentAsync(history, settings, new Kernel(), deadline.Token);
            var latency = Elapsed();
            var facts = LlmReply.Read(reply, model);
            var called = FunctionCallContent.GetFunctionCalls(reply).Any();
            var problem = facts.Outcome switch
            {
                LlmOutcome.Truncated => $"The answer was cut off at {llm.MaxOutputTokens} tokens: raise LLM_MAX_TOKENS.",
                LlmOutcome.Refused => $"Model '{facts.Model}' refused the check ({facts.Refusal ?? facts.FinishReason}).",
                _ when !called => $"Model '{facts.Model}' answered without calling the tool: it may not support tool calling; set LLM_MODEL to a model with tool support.",
                _ => null,
            };
            return Result(latency, facts.Model, called, facts.FinishReason, problem);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (deadline.IsCancellationRequested || IsTimeout(ex)))
        {
            return Result(Elapsed(), null, false, null,
                $"No answer within {llm.RequestTimeout} s (LLM_TIMEOUT): check LLM_BASE_URL and that the provider is up.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Result(Elapsed(), null, false, null, Problem(LlmError.From(ex), provider, model, endpoint, attempts));
        }
    }

    /// <summary>One line naming the setting to fix.</summary>
    internal static string Problem(LlmError error, string provider, string model, string? endpoint, int attempts) => error switch
    {
        { Kind: LlmErrorKind.Credentials } =>
            $"The {provider} provider refused the key (HTTP {(int)error.StatusCode!}): set LLM_API_KEY to a valid {provider} key.",
        { Kind: LlmErrorKind.UnknownModel } =>
            $"The {provider} provider does not know model '{model}' (HTTP 404): it is misspelt or retired; set LLM_MODEL to a current model.",
        { Kind: LlmErrorKind.Unreachable } =>
            $"Cannot reach {endpoint} ({error.Detail}): check LLM_BASE_URL and that the server is running.",
        { StatusCode: HttpStatusCode.BadRequest } when error.Detail.Contains("tool", StringComparison.OrdinalIgnoreCase) =>
            $"Model '{model}' does not support tool calling ({error.Detail}): set LLM_MODEL to a model with tool support.",
        _ => $"The {provider} provider failed: {LlmFailureMessages.Describe(error, provider, attempts, model)}",
    };

    private static KernelFunction ProbeFunction() => KernelFunctionFactory.CreateFromMethod(
        (Func<string, string>)(_ => throw new InvalidOperationException("The check never runs its tool.")),
        functionName: ProbeTool,
        description: "Reports that the connection works.",
        parameters: [new KernelParameterMetadata("status") { Description = "Always \"ok\".", IsRequired = true, ParameterType = typeof(string) }]);

    private static bool IsTimeout(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is TimeoutRejectedException or TimeoutException)
            {
                return true;
            }
        }
        return false;
    }
}
