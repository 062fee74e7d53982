using Microsoft.SemanticKernel;
using AnthropicMessage = Anthropic.Models.Messages.Message;
using OpenAiCompletion = OpenAI.Chat.ChatCompletion;

namespace Agent.Core.Llm;

/// <summary>How a model's turn ended, as far as the loop is concerned.</summary>
public enum LlmOutcome
{
    /// <summary>A finished answer, with or without tool calls.</summary>
    Complete,

    /// <summary>Cut off at the output-token limit (<c>length</c>, <c>max_tokens</c>): the text or the calls are partial.</summary>
    Truncated,

    /// <summary>The model declined, or a content filter stopped it (<c>refusal</c>, <c>content_filter</c>, a refusal message).</summary>
    Refused,
}

/// <summary>
/// What a reply says about itself, whichever connector produced it: the model that answered, its finish reason in the
/// provider's own words, token usage and any refusal text.
/// </summary>
public sealed record LlmReply(string Model, string? FinishReason, int? InputTokens, int? OutputTokens, string? Refusal, LlmOutcome Outcome)
{
    /// <summary>Metadata keys a connector without a native response object (the local planner) may set.</summary>
    public const string FinishReasonKey = "FinishReason";

    public static LlmReply Read(ChatMessageContent reply, string configuredModel)
    {
        var (model, finish, refusal) = reply.InnerContent switch
        {
            OpenAiCompletion completion => (completion.Model, OpenAiFinishReason(completion), completion.Refusal),
            AnthropicMessage message => (message.Model.Raw(), message.StopReason?.Raw(), null),
            _ => (reply.ModelId, reply.Metadata?.GetValueOrDefault(FinishReasonKey) as string, null),
        };
        var (input, output) = Usage(reply);
        var outcome = Classify(finish, refusal);
        if (outcome == LlmOutcome.Refused && string.IsNullOrWhiteSpace(refusal))
        {
            // Anthropic's refusal and a content filter carry their explanation (if any) as ordinary text.
            refusal = string.IsNullOrWhiteSpace(reply.Content) ? null : reply.Content.Trim();
        }
        return new LlmReply(string.IsNullOrWhiteSpace(model) ? configuredModel : model, finish, input, output, refusal, outcome);
    }

    private static LlmOutcome Classify(string? finish, string? refusal) => finish switch
    {
        _ when !string.IsNullOrWhiteSpace(refusal) => LlmOutcome.Refused,
        "length" or "max_tokens" or "model_context_window_exceeded" => LlmOutcome.Truncated,
        "refusal" or "content_filter" => LlmOutcome.Refused,
        _ => LlmOutcome.Complete,
    };

    /// <summary>The wire value of OpenAI's finish reason (the SDK turns it into an enum).</summary>
    private static string OpenAiFinishReason(OpenAiCompletion completion) => completion.FinishReason switch
    {
        OpenAI.Chat.ChatFinishReason.Stop => "stop",
        OpenAI.Chat.ChatFinishReason.Length => "length",
        OpenAI.Chat.ChatFinishReason.ToolCalls => "tool_calls",
        OpenAI.Chat.ChatFinishReason.ContentFilter => "content_filter",
        OpenAI.Chat.ChatFinishReason.FunctionCall => "function_call",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>Both connectors keep the provider's own response as the inner content; the local planner counts no tokens.</summary>
    private static (int? Input, int? Output) Usage(ChatMessageContent reply) => reply.InnerContent switch
    {
        OpenAiCompletion { Usage: { } usage } => (usage.InputTokenCount, usage.OutputTokenCount),
        AnthropicMessage { Usage: { } usage } => ((int)usage.InputTokens, (int)usage.OutputTokens),
        _ => (null, null),
    };
}
