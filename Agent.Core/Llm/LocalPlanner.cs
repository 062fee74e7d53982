using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agent.Core.Llm;

/// <summary>
/// The built-in, offline, deterministic planner. It maps plain-English instructions onto the built-in tools
/// and writes the final answer from their results, through the same <see cref="IChatCompletionService"/>
/// contract as a remote model, so the orchestrator has one code path.
/// </summary>
public sealed class LocalPlanner : IChatCompletionService
{
    public const string ModelName = "local-planner";

    public IReadOnlyDictionary<string, object?> Attributes { get; } = new Dictionary<string, object?> { ["ModelId"] = ModelName };

    public Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var instructionIndex = chatHistory.ToList().FindLastIndex(m => m.Role == AuthorRole.User);
        var instruction = instructionIndex >= 0 ? chatHistory[instructionIndex].Content ?? "" : "";
        var parsed = InstructionParser.Analyse(instruction);
        var results = chatHistory.Skip(instructionIndex + 1)
            .SelectMany(m => m.Items.OfType<FunctionResultContent>())
            .ToList();

        // One turn plans every call the instruction asks for; the next turn, seeing their results, answers.
        var reply = results.Count > 0 ? Answer(results, parsed.Unmatched) : Plan(parsed);
        // Recorded like a remote model's finish reason, in OpenAI's words.
        reply.Metadata = new Dictionary<string, object?>
        {
            [LlmReply.FinishReasonKey] = reply.Items.OfType<FunctionCallContent>().Any() ? "tool_calls" : "stop",
        };
        return Task.FromResult<IReadOnlyList<ChatMessageContent>>([reply]);
    }

    public IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The local planner does not stream.");

    private static ChatMessageContent Plan(ParsedInstruction parsed)
    {
        if (parsed.Calls.Count == 0)
        {
            return new ChatMessageContent(AuthorRole.Assistant, InstructionParser.Help, ModelName);
        }

        var plan = new StringBuilder("Plan: ")
            .AppendJoin(", then ", parsed.Calls.Select(c => $"{c.Tool}({c.Arguments.ToJsonString(JsonDefaults.Compact)})"));
        if (parsed.Unmatched.Count > 0)
        {
            plan.Append(". Not understood, so not acted on: ").AppendJoin("; ", parsed.Unmatched.Select(u => $"\"{u}\""));
        }
        var reply = new ChatMessageContent(AuthorRole.Assistant, plan.Append('.').ToString(), ModelName);
        for (var i = 0; i < parsed.Calls.Count; i++)
        {
            var arguments = new KernelArguments();
            foreach (var (name, value) in parsed.Calls[i].Arguments)
            {
                arguments[name] = value?.GetValueKind() switch
                {
                    JsonValueKind.Number => value.GetValue<int>(),
                    JsonValueKind.String => value.GetValue<string>(),
                    _ => value?.ToJsonString(),
                };
            }
            reply.Items.Add(new FunctionCallContent(parsed.Calls[i].Tool, id: $"call_{i + 1}", arguments: arguments));
        }
        return reply;
    }

    private static ChatMessageContent Answer(IReadOnlyList<FunctionResultContent> results, IReadOnlyList<string> unmatched)
    {
        var answer = new StringBuilder();
        foreach (var result in results)
        {
            answer.AppendLine(ResultDescriber.Describe(result.FunctionName ?? "tool", result.Result?.ToString()));
        }
        if (unmatched.Count > 0)
        {
            answer.Append("I did not act on ").AppendJoin("; ", unmatched.Select(u => $"\"{u}\""))
                .AppendLine(": the local planner does not understand it.");
        }
        return new ChatMessageContent(AuthorRole.Assistant, answer.ToString().TrimEnd(), ModelName);
    }
}

/// <summary>A tool call the local planner decided on.</summary>
public sealed record PlannedCall(string Tool, JsonObject Arguments);
