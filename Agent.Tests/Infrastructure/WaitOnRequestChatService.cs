using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agent.Tests.Infrastructure;

/// <summary>
/// An in-process model for access tests: an instruction starting with "wait" calls <see cref="BlockingTool"/> (the run
/// stays active until cancelled); anything else is answered at once without tools.
/// </summary>
public sealed class WaitOnRequestChatService : IChatCompletionService
{
    public IReadOnlyDictionary<string, object?> Attributes { get; } = new Dictionary<string, object?>();

    public Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        var instruction = chatHistory.First(m => m.Role == AuthorRole.User).Content ?? "";
        var reply = new ChatMessageContent(AuthorRole.Assistant, "done", "scripted");
        if (instruction.StartsWith("wait", StringComparison.OrdinalIgnoreCase) && chatHistory.All(m => m.Role != AuthorRole.Tool))
        {
            reply.Items.Add(new FunctionCallContent(BlockingTool.ToolName, id: "call_wait", arguments: []));
        }
        return Task.FromResult<IReadOnlyList<ChatMessageContent>>([reply]);
    }

    public IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();
}
