using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agent.Core.Auditing;
using Agent.Core.Configuration;
using Agent.Core.Llm;
using Agent.Core.Policy;
using Agent.Core.Tools;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Polly.Timeout;

namespace Agent.Core.Runs;

/// <summary>
/// The reasoning loop: ask the model, run the tools it picks through <see cref="ToolExecutor"/>, feed the results back,
/// until it answers or a limit ends the run. Every turn and every execution is audited as it happens.
/// </summary>
public sealed partial class AgentRunner(
    IChatCompletionService chat,
    ToolFunctionCatalog catalog,
    ToolExecutor executor,
    IAuditWriter audit,
    IRunEventSink events,
    IOptions<AgentOptions> agentOptions,
    IOptions<LlmOptions> llmOptions,
    IOptions<RunLimitsOptions> runLimits,
    TimeProvider clock,
    ILogger<AgentRunner> logger,
    PolicyGate gate,
    ApprovalCoordinator approvals)
{
    private const string SystemPrompt =
        "You are an autonomous agent working inside an isolated workspace. Use only the provided tools, " +
        "with paths relative to the workspace. A tool result with a status other than 'success' explains what went wrong; " +
        "correct the call or explain the problem. When you have what you need, answer the user concisely.";

    private readonly AgentOptions _limits = agentOptions.Value;
    private readonly RunLimitsOptions _runLimits = runLimits.Value;
    private readonly string _model = llmOptions.Value.EffectiveModel;
    private readonly TimeSpan _llmTimeout = TimeSpan.FromSeconds(llmOptions.Value.RequestTimeout);
    private readonly string _provider = llmOptions.Value.EffectiveProvider;
    private readonly int _attempts = llmOptions.Value.MaxRetries + 1;
    private readonly TimeSpan _attemptTimeout = llmOptions.Value.EffectiveAttemptTimeout;
    private readonly int _maxOutputTokens = llmOptions.Value.MaxOutputTokens;

    public Task<RunResult> RunAsync(RunRequest request, CancellationToken cancellationToken) => RunAsync(request, events, cancellationToken);

    /// <summary>Runs <paramref name="request"/>, publishing its events to <paramref name="runEvents"/> (e.g. the run's own tracker).</summary>
    public async Task<RunResult> RunAsync(RunRequest request, IRunEventSink runEvents, CancellationToken cancellationToken)
    {
        var run = new RunContext(request, clock.GetUtcNow(), runEvents, clock, new RunBudget(_runLimits));
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = request.RunId });
        await audit.StartRunAsync(new RunRecord
        {
            Id = request.RunId,
            Input = request.Input,
            Status = RunStatus.Running,
            Source = request.Source,
            Principal = request.Principal,
            ClientIp = request.ClientIp,
            CreatedAt = run.CreatedAt,
        });
        run.Publish(new RunStartedData(request.Input, request.Source));
        return await FinishAsync(run, token => LoopAsync(run, NewHistory(request.Input), 1, token), TimeSpan.FromSeconds(_limits.RunTimeout), cancellationToken);
    }

    /// <summary>
    /// Continues a run that a stop left waiting on an approval: its conversation is rebuilt from the audit rows, the same
    /// request is waited on again (an overdue one expires at once), and the loop goes on from the paused call. The
    /// completion is recorded as for any run; a run that cannot continue ends <c>error</c> with the reason, and its
    /// approval is closed. <c>RUN_TIMEOUT</c> still counts from the run's original start.
    /// </summary>
    public Task<RunResult> ResumeAsync(ResumedRun resumed, CancellationToken cancellationToken) => ResumeAsync(resumed, events, cancellationToken);

    /// <summary><see cref="ResumeAsync(ResumedRun, CancellationToken)"/>, publishing the run's events to <paramref name="runEvents"/>.</summary>
    public async Task<RunResult> ResumeAsync(ResumedRun resumed, IRunEventSink runEvents, CancellationToken cancellationToken)
    {
        var run = new RunContext(resumed.Request, resumed.CreatedAt, runEvents, clock, new RunBudget(_runLimits));
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = resumed.Request.RunId });
        run.Publish(new RunStartedData(resumed.Request.Input, resumed.Request.Source) { Resumed = true });
        var left = TimeSpan.FromSeconds(_limits.RunTimeout) - (clock.GetUtcNow() - resumed.CreatedAt);
        return await FinishAsync(run, async token =>
        {
            try
            {
                return await ResumeLoopAsync(run, resumed, token);
            }
            catch (Exception ex)
            {
                // Whatever stopped the run, its request must not stay pending for a run that is gone.
                await approvals.DecideAsync(resumed.Approval.Id, new ApprovalVerdict(ApprovalStatus.Expired, "system", clock.GetUtcNow(),
                    Comment: ex is RunResumeException ? ex.Message : "The run ended after the restart before anyone answered."), CancellationToken.None);
                throw;
            }
        }, left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken);
    }

    /// <summary>Runs <paramref name="loop"/> under the run deadline and records the run's end, whatever happened.</summary>
    private async Task<RunResult> FinishAsync(RunContext run, Func<CancellationToken, Task<string?>> loop, TimeSpan timeLeft, CancellationToken cancellationToken)
    {
        var request = run.Request;
        // On the injected clock, so that a test advances time instead of waiting for RUN_TIMEOUT.
        using var deadline = new CancellationTokenSource(timeLeft, clock);
        using var runDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        string status;
        string? output = null, error = null;
        try
        {
            output = await loop(runDeadline.Token);
            status = run.Executions.All(e => e.Succeeded) ? RunStatus.Success : RunStatus.ToolError;
        }
        catch (RunLimitException ex)
        {
            (status, error) = (RunStatus.Error, ex.Message);
        }
        catch (RunResumeException ex)
        {
            LogResumeRefused(logger, ex.Message);
            (status, error) = (RunStatus.Error, ex.Message);
        }
        catch (LlmRefusedException ex)
        {
            (status, error) = (RunStatus.Error, ex.Message);
        }
        catch (LlmCallException ex)
        {
            LogLlmFailed(logger, ex.InnerException ?? ex);
            (status, error) = (RunStatus.Error, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            (status, error) = (RunStatus.Error, request.Cancellation.By is { } by ? $"Run cancelled by {by}." : "Run cancelled by the caller.");
        }
        catch (OperationCanceledException) when (runDeadline.IsCancellationRequested)
        {
            (status, error) = (RunStatus.Error, $"Run timeout: the run exceeded {_limits.RunTimeout} s (RUN_TIMEOUT).");
        }
        catch (Exception ex)
        {
            // Whatever went wrong, the run is closed in the audit rather than left 'running'.
            LogRunFailed(logger, ex);
            (status, error) = (RunStatus.Error, $"Run failed: {ex.Message}");
        }

        var duration = (long)(clock.GetUtcNow() - run.CreatedAt).TotalMilliseconds;
        await audit.CompleteRunAsync(request.RunId, status, output, error, clock.GetUtcNow(), duration);
        run.Publish(new RunFinishedData(status, output, error, duration));
        LogRunFinished(logger, status, run.Executions.Count, duration);
        return new RunResult(request.RunId, status, output, error, run.Executions, run.CreatedAt, duration);
    }

    private static ChatHistory NewHistory(string input)
    {
        var history = new ChatHistory(SystemPrompt);
        history.AddUserMessage(input);
        return history;
    }

    /// <summary>
    /// Replays the recorded turns into the history (and the run's events, budget and executions), then finishes the paused
    /// turn from its paused call, which waits on the stored approval, and goes on with the model.
    /// </summary>
    private async Task<string?> ResumeLoopAsync(RunContext run, ResumedRun resumed, CancellationToken cancellationToken)
    {
        var plan = ResumePlan.Build(resumed);
        var paused = plan.PausedCall;
        // The policy in force now must still ask about the call, by the same rule: otherwise the answer awaited is not the one needed.
        if (catalog.Find(paused.Name) is not { } tool)
        {
            throw new RunResumeException($"tool '{paused.Name}' is no longer available");
        }
        var now = gate.Evaluate(tool, paused.Arguments);
        if (now.Effect != PolicyEffect.Ask || now.RuleId != resumed.Approval.RuleId)
        {
            throw new RunResumeException(
                $"the policy changed: the call to '{paused.Name}' is now '{now.Effect.ToWire()}' by rule '{now.RuleId}' (policy {now.Version}), " +
                $"where rule '{resumed.Approval.RuleId}' asked under policy {resumed.Approval.PolicyVersion}");
        }

        var history = NewHistory(run.Request.Input);
        foreach (var turn in plan.Turns)
        {
            var reply = Reply(turn);
            var calls = reply.Items.OfType<FunctionCallContent>().ToList();
            run.Publish(DecisionEvent(turn));
            var admitted = run.Budget.Admit(calls.Count);
            history.Add(reply);
            var results = new ChatMessageContent(AuthorRole.Tool, content: null);
            for (var index = 0; index < turn.Executions.Count; index++)
            {
                var recorded = ResumePlan.Result(turn.Executions[index]);
                run.Budget.KeepRecorded(recorded.Output);
                run.Executions.Add(recorded);
                run.Publish(new ToolStartedData(calls[index].Id, recorded.ToolName, recorded.Input?.DeepClone()));
                PublishCompleted(run, calls[index], recorded);
                results.Items.Add(new FunctionResultContent(calls[index], ResultForModel(recorded)));
            }
            if (turn != plan.PausedTurn)
            {
                history.Add(results);
                continue;
            }

            if (plan.PausedCallIndex >= admitted)
            {
                throw new RunResumeException("the paused call was past the run's tool-call bounds");
            }
            for (var index = plan.PausedCallIndex; index < admitted; index++)
            {
                var result = await ExecuteAsync(run, turn.Decision.Id, calls[index], cancellationToken,
                    index == plan.PausedCallIndex ? resumed.Approval.Id : null);
                results.Items.Add(new FunctionResultContent(calls[index], ResultForModel(result)));
            }
            var refused = calls.Skip(admitted).Select((call, offset) => (call, run.Budget.RefusalFor(admitted + offset, calls.Count))).ToList();
            var refusedResults = await RefuseAsync(run, turn.Decision.Id, refused);
            for (var index = 0; index < refused.Count; index++)
            {
                results.Items.Add(new FunctionResultContent(refused[index].call, ResultForModel(refusedResults[index])));
            }
            history.Add(results);
        }
        return await LoopAsync(run, history, plan.PausedTurn.Decision.Step + 1, cancellationToken);
    }

    /// <summary>The assistant message a decision row records: its reasoning and its calls, with the recorded arguments.</summary>
    private static ChatMessageContent Reply(RecordedTurn turn)
    {
        var reply = new ChatMessageContent(AuthorRole.Assistant, turn.Decision.Reasoning, turn.Decision.Model);
        foreach (var call in turn.Calls)
        {
            var arguments = new KernelArguments();
            foreach (var (name, value) in call.Arguments as JsonObject ?? [])
            {
                arguments[name] = value is null ? null : JsonSerializer.Deserialize<JsonElement>(value.ToJsonString());
            }
            // As the connectors name a call: "plugin-function" splits at the first dash.
            var dash = call.Name.IndexOf('-', StringComparison.Ordinal);
            reply.Items.Add(dash > 0
                ? new FunctionCallContent(call.Name[(dash + 1)..], call.Name[..dash], call.Id, arguments)
                : new FunctionCallContent(call.Name, id: call.Id, arguments: arguments));
        }
        return reply;
    }

    private static DecisionData DecisionEvent(RecordedTurn turn) => new(
        turn.Decision.Step, turn.Decision.Reasoning, [.. turn.Calls.Select(c => new SelectedToolCall(c.Id, c.Name, c.Arguments?.DeepClone()))],
        turn.Decision.Model, turn.Decision.FinishReason, turn.Decision.InputTokens, turn.Decision.OutputTokens, turn.Decision.LatencyMs);

    private async Task<string?> LoopAsync(RunContext run, ChatHistory history, int firstStep, CancellationToken cancellationToken)
    {
        var settings = new PromptExecutionSettings
        {
            ModelId = _model,
            // Read by both connectors: OpenAI's as its output-token limit, the IChatClient adapter as ChatOptions.MaxOutputTokens.
            ExtensionData = new Dictionary<string, object> { ["max_tokens"] = _maxOutputTokens },
            // Never autoInvoke: every call must pass the executor's allowlist, policy, schema, timeout and audit.
            FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(catalog.Functions, autoInvoke: false),
        };
        var kernel = new Kernel();

        for (var step = firstStep; step <= _limits.MaxSteps; step++)
        {
            var (reply, latency) = await AskAsync(history, settings, kernel, cancellationToken);
            var facts = LlmReply.Read(reply, _model);
            var calls = FunctionCallContent.GetFunctionCalls(reply).ToList();
            var decisionId = await RecordDecisionAsync(run, step, reply, facts, calls, latency);
            EnsureUsable(facts);
            if (calls.Count == 0)
            {
                return string.IsNullOrWhiteSpace(reply.Content) ? "The model finished without a text answer." : reply.Content.Trim();
            }

            if (run.Budget.CallsExhaustedReported)
            {
                // Already told that its calls were used up, the model asked again: these are refused too, and the run ends.
                await RefuseAsync(run, decisionId, calls.Select(c => (c, run.Budget.CallsExhausted)).ToList());
                throw new RunLimitException(run.Budget.RunEnded);
            }

            // The calls that may run come first; the rest of the turn is refused by a count bound.
            var admitted = run.Budget.Admit(calls.Count);

            // The assistant message carrying the calls goes into the history before their results, and all results of
            // one turn travel in one message (Anthropic wants them in one user turn; OpenAI's connector splits them).
            history.Add(reply);
            var results = new ChatMessageContent(AuthorRole.Tool, content: null);
            for (var index = 0; index < admitted; index++)
            {
                var result = await ExecuteAsync(run, decisionId, calls[index], cancellationToken);
                results.Items.Add(new FunctionResultContent(calls[index], ResultForModel(result)));
            }
            var refused = calls.Skip(admitted).Select((call, offset) => (call, run.Budget.RefusalFor(admitted + offset, calls.Count))).ToList();
            var refusedResults = await RefuseAsync(run, decisionId, refused);
            for (var index = 0; index < refused.Count; index++)
            {
                results.Items.Add(new FunctionResultContent(refused[index].call, ResultForModel(refusedResults[index])));
            }
            history.Add(results);
        }
        throw new RunLimitException($"Step limit reached: the model did not finish within {_limits.MaxSteps} steps (MAX_STEPS).");
    }

    /// <summary>A cut-off or refused answer is recorded as it came, then ends the run: nothing partial is executed or reported as done.</summary>
    private void EnsureUsable(LlmReply facts)
    {
        switch (facts.Outcome)
        {
            case LlmOutcome.Truncated:
                throw new RunLimitException(
                    $"Output limit: the model's answer was cut off at {_maxOutputTokens} tokens (LLM_MAX_TOKENS; finish reason '{facts.FinishReason}'). " +
                    "Raise LLM_MAX_TOKENS or ask for less.");
            case LlmOutcome.Refused:
                throw new LlmRefusedException(facts.Refusal is null
                    ? $"The model refused to answer (finish reason '{facts.FinishReason}')."
                    : $"The model refused to answer (finish reason '{facts.FinishReason ?? "stop"}'): {facts.Refusal}");
        }
    }

    /// <summary>Asks once; a Groq <c>tool_use_failed</c> (a generation that produced no valid tool call) is asked once more.</summary>
    private async Task<(ChatMessageContent Reply, long LatencyMs)> AskAsync(
        ChatHistory history, PromptExecutionSettings settings, Kernel kernel, CancellationToken cancellationToken)
    {
        try
        {
            return await AskOnceAsync(history, settings, kernel, cancellationToken);
        }
        catch (LlmCallException ex) when (LlmError.From(ex.InnerException!).IsToolUseFailed)
        {
            LogToolUseFailedRetry(logger);
        }
        try
        {
            return await AskOnceAsync(history, settings, kernel, cancellationToken);
        }
        catch (LlmCallException ex) when (LlmError.From(ex.InnerException!) is { IsToolUseFailed: true } error)
        {
            throw new LlmCallException(
                $"LLM request failed: the {_provider} provider could not produce a valid tool call twice ({LlmError.ToolUseFailedCode}): {error.ProviderMessage}.",
                ex.InnerException!);
        }
    }

    private async Task<(ChatMessageContent Reply, long LatencyMs)> AskOnceAsync(
        ChatHistory history, PromptExecutionSettings settings, Kernel kernel, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_llmTimeout, clock);
        using var callDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var clockStart = Stopwatch.GetTimestamp();
        try
        {
            var reply = await chat.GetChatMessageContentAsync(history, settings, kernel, callDeadline.Token);
            return (reply, (long)Stopwatch.GetElapsedTime(clockStart).TotalMilliseconds);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested && callDeadline.IsCancellationRequested)
        {
            throw new RunLimitException($"LLM timeout: the model did not answer within {_llmTimeout.TotalSeconds:0} s (LLM_TIMEOUT).");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsTimeout(ex))
        {
            throw new RunLimitException(
                $"LLM timeout: each of {_attempts} attempt(s) exceeded {_attemptTimeout.TotalSeconds:0} s (Llm:AttemptTimeout).");
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            // The caller or the run deadline ended the call; the connector's wrapping of that must not read as an LLM failure.
            throw new OperationCanceledException("The LLM call was cancelled.", ex, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new LlmCallException($"LLM request failed: {LlmFailureMessages.Describe(ex, _provider, _attempts, _model)}", ex);
        }
    }

    /// <summary>A timeout inside the HTTP pipeline, however the connector wrapped it.</summary>
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

    private async Task<long> RecordDecisionAsync(RunContext run, int step, ChatMessageContent reply, LlmReply facts, List<FunctionCallContent> calls, long latencyMs)
    {
        SelectedToolCall[] selected = [.. calls.Select(c => new SelectedToolCall(c.Id, ToolArguments.ToolName(c), RecordableArguments(run, c, out _)))];
        // A refusal with no text of its own (OpenAI's refusal field) is kept as the decision's reasoning.
        var reasoning = string.IsNullOrWhiteSpace(reply.Content) ? facts.Refusal : reply.Content;
        var decisionId = await audit.RecordDecisionAsync(new DecisionRecord
        {
            RequestId = run.Request.RunId,
            Step = step,
            Reasoning = reasoning,
            SelectedTools = JsonSerializer.Serialize(selected, JsonDefaults.Compact),
            Model = facts.Model,
            FinishReason = facts.FinishReason,
            InputTokens = facts.InputTokens,
            OutputTokens = facts.OutputTokens,
            LatencyMs = latencyMs,
            CreatedAt = clock.GetUtcNow(),
        });
        run.Publish(new DecisionData(step, reasoning, selected, facts.Model, facts.FinishReason, facts.InputTokens, facts.OutputTokens, latencyMs));
        return decisionId;
    }

    /// <summary>Runs one call admitted by the count bounds, unless its arguments are too large or unparseable.</summary>
    private async Task<ToolExecutionResult> ExecuteAsync(RunContext run, long decisionId, FunctionCallContent call, CancellationToken cancellationToken,
        string? resumedApprovalId = null)
    {
        var toolName = ToolArguments.ToolName(call);
        var input = RecordableArguments(run, call, out var tooLarge);
        run.Publish(new ToolStartedData(call.Id, toolName, input?.DeepClone()));
        if (tooLarge is not null)
        {
            LogCallsRefused(logger, 1, tooLarge);
        }

        // Oversized and unparseable arguments never reach a tool; the model is told why and may try again.
        var started = clock.GetTimestamp();
        ToolExecutionResult result;
        try
        {
            result = tooLarge is not null ? new ToolExecutionResult(toolName, ToolExecutionStatus.Blocked, input, null, tooLarge, 0)
                : call.Exception is not null
                ? new ToolExecutionResult(toolName, ToolExecutionStatus.InvalidInput, input, null,
                    $"Invalid input: the tool-call arguments are not valid JSON ({call.Exception.Message}).", 0)
                : run.Budget.KeepOutput(await executor.ExecuteAsync(toolName, input,
                    new ToolCallContext(run.Request.RunId, run.Request.Principal, decisionId, call.Id) { Publish = run.Publish, ApprovalId = resumedApprovalId }, cancellationToken));
        }
        catch (OperationCanceledException)
        {
            // The run was cancelled or timed out mid-tool: the attempt is still recorded before the run ends.
            var interrupted = new ToolExecutionResult(toolName, ToolExecutionStatus.Error, input, null,
                "Interrupted: the run was cancelled or timed out while the tool was running.", (long)clock.GetElapsedTime(started).TotalMilliseconds);
            await RecordExecutionAsync(run, decisionId, call, interrupted);
            throw;
        }
        await RecordExecutionAsync(run, decisionId, call, result);
        return result;
    }

    /// <summary>
    /// Records calls refused by a count bound as <c>blocked</c>, without running them. Their audit rows are queued together
    /// (in order) rather than committed one by one, so a turn of a thousand calls does not hold the run for seconds.
    /// </summary>
    private async Task<List<ToolExecutionResult>> RefuseAsync(RunContext run, long decisionId, List<(FunctionCallContent Call, string Reason)> calls)
    {
        var results = new List<ToolExecutionResult>(calls.Count);
        var writes = new List<Task<long>>(calls.Count);
        foreach (var (call, reason) in calls)
        {
            var toolName = ToolArguments.ToolName(call);
            var input = RecordableArguments(run, call, out _);
            run.Publish(new ToolStartedData(call.Id, toolName, input?.DeepClone()));
            var result = new ToolExecutionResult(toolName, ToolExecutionStatus.Blocked, input, null, reason, 0);
            run.Executions.Add(result);
            writes.Add(audit.RecordExecutionAsync(ToRecord(run, decisionId, result)));
            results.Add(result);
        }
        if (calls.Count > 0)
        {
            LogCallsRefused(logger, calls.Count, calls[0].Reason);
        }
        await Task.WhenAll(writes);
        foreach (var (call, result) in calls.Zip(results))
        {
            PublishCompleted(run, call.Call, result);
        }
        return results;
    }

    private async Task RecordExecutionAsync(RunContext run, long decisionId, FunctionCallContent call, ToolExecutionResult result)
    {
        run.Executions.Add(result.WithoutCachedText());
        var record = ToRecord(run, decisionId, result);
        await audit.RecordExecutionAsync(record);
        PublishCompleted(run, call, result);
    }

    private ToolExecutionRecord ToRecord(RunContext run, long decisionId, ToolExecutionResult result) =>
        new()
        {
            RequestId = run.Request.RunId,
            DecisionId = decisionId,
            ToolName = result.ToolName,
            Input = result.Input?.ToJsonString(JsonDefaults.Compact),
            Output = result.OutputJson,
            Status = result.Status.ToWire(),
            Error = result.Error,
            DurationMs = result.DurationMs,
            CreatedAt = clock.GetUtcNow(),
            Policy = result.Policy?.ToJson(),
        };

    /// <summary>
    /// The event shares the result's output rather than a copy: nothing changes an output once the executor returned it,
    /// and a copy (or a parse of the audit row) per call was a second tree of every output, held until the run ended.
    /// </summary>
    private static void PublishCompleted(RunContext run, FunctionCallContent call, ToolExecutionResult result) =>
        run.Publish(new ToolCompletedData(call.Id, result.ToolName, result.Status.ToWire(), result.DurationMs,
            result.Output, result.Error, result.Truncated, result.Policy));

    private JsonObject? ArgumentsToJson(FunctionCallContent call) => ToolArguments.ToJson(call, catalog.Find(ToolArguments.ToolName(call)));

    /// <summary>
    /// The arguments as they are kept in the audit, events and result: parsed when within MAX_TOOL_ARGUMENT_SIZE,
    /// otherwise only measured and kept as a preview (<paramref name="refusal"/> then says why the call is blocked).
    /// </summary>
    private JsonNode? RecordableArguments(RunContext run, FunctionCallContent call, out string? refusal)
    {
        var size = RunBudget.Measure(call);
        refusal = run.Budget.ArgumentsRefusal(size);
        return refusal is null ? ArgumentsToJson(call) : size.ToTruncated(refusal);
    }

    /// <summary>{"status","output","error"} as the model reads it, written from the result without copying its output.</summary>
    private static string ResultForModel(ToolExecutionResult result) =>
        JsonText.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("status", result.Status.ToWire());
            writer.WritePropertyName("output");
            if (result.OutputJson is { } output)
            {
                // The same text the audit stores, already written once.
                writer.WriteRawValue(output, skipInputValidation: true);
            }
            else
            {
                writer.WriteNullValue();
            }
            writer.WriteString("error", result.Error);
            writer.WriteEndObject();
        });

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Run finished {Status} after {Executions} tool execution(s) in {DurationMs} ms")]
    private static partial void LogRunFinished(ILogger logger, string status, int executions, long durationMs);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "LLM request failed")]
    private static partial void LogLlmFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "The provider reported tool_use_failed; asking once more")]
    private static partial void LogToolUseFailedRetry(ILogger logger);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Run failed unexpectedly")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "{Reason}")]
    private static partial void LogResumeRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Run bounds refused {Count} tool call(s): {Reason}")]
    private static partial void LogCallsRefused(ILogger logger, int count, string reason);

    /// <summary>Per-run state: the request, its executions so far, its share of the run bounds and its event sequence.</summary>
    private sealed class RunContext(RunRequest request, DateTimeOffset createdAt, IRunEventSink events, TimeProvider clock, RunBudget budget)
    {
        private int _sequence;

        public RunRequest Request { get; } = request;
        public RunBudget Budget { get; } = budget;
        public DateTimeOffset CreatedAt { get; } = createdAt;
        public List<ToolExecutionResult> Executions { get; } = [];

        public void Publish(RunEventData data) =>
            events.Publish(new RunEvent(Request.RunId, Interlocked.Increment(ref _sequence), clock.GetUtcNow(), data));
    }
}
