using System.Text;
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
        var results = chatHistory.Skip(instructionIndex + 1)
            .SelectMany(m => m.Items.OfType<FunctionResultContent>())
            .ToList();

        var reply = results.Count > 0 ? Answer(results) : Plan(instruction);
        return Task.FromResult<IReadOnlyList<ChatMessageContent>>([reply]);
    }

    public IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The local planner does not stream.");

    private static ChatMessageContent Plan(string instruction)
    {
        var calls = InstructionParser.Parse(instruction);
        if (calls.Count == 0)
        {
            return new ChatMessageContent(AuthorRole.Assistant, InstructionParser.Help, ModelName);
        }

        var reply = new ChatMessageContent(AuthorRole.Assistant,
            "Plan: " + string.Join(", then ", calls.Select(c => $"{c.Tool}({c.Arguments.ToJsonString()})")), ModelName);
        for (var i = 0; i < calls.Count; i++)
        {
            var arguments = new KernelArguments();
            foreach (var (name, value) in calls[i].Arguments)
            {
                arguments[name] = value?.GetValueKind() switch
                {
                    System.Text.Json.JsonValueKind.Number => value.GetValue<int>(),
                    _ => value?.GetValue<string>(),
                };
            }
            reply.Items.Add(new FunctionCallContent(calls[i].Tool, id: $"call_{i + 1}", arguments: arguments));
        }
        return reply;
    }

    private static ChatMessageContent Answer(IReadOnlyList<FunctionResultContent> results)
    {
        var answer = new StringBuilder();
        foreach (var result in results)
        {
            answer.AppendLine(ResultDescriber.Describe(result.FunctionName ?? "tool", result.Result?.ToString()));
        }
        return new ChatMessageContent(AuthorRole.Assistant, answer.ToString().TrimEnd(), ModelName);
    }
}

/// <summary>A tool call the local planner decided on.</summary>
public sealed record PlannedCall(string Tool, JsonObject Arguments);
