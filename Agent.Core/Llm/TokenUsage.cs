using Microsoft.SemanticKernel;

namespace Agent.Core.Llm;

/// <summary>Reads token counts from a reply's metadata, whichever connector produced it.</summary>
public static class TokenUsage
{
    public const string InputTokensKey = "InputTokens";
    public const string OutputTokensKey = "OutputTokens";

    public static (int? Input, int? Output) From(ChatMessageContent reply)
    {
        if (reply.Metadata is null)
        {
            return (null, null);
        }
        if (reply.Metadata.TryGetValue("Usage", out var usage) && usage is OpenAI.Chat.ChatTokenUsage openAi)
        {
            return (openAi.InputTokenCount, openAi.OutputTokenCount);
        }
        return (reply.Metadata.TryGetValue(InputTokensKey, out var i) ? i as int? : null,
                reply.Metadata.TryGetValue(OutputTokensKey, out var o) ? o as int? : null);
    }
}
