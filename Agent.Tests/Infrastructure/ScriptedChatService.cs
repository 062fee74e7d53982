using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agent.Tests.Infrastructure;

/// <summary>
/// An in-process model that replies with scripted turns: each turn is a list of tool calls, or a final answer
/// once the script runs out. For host-level tests that need a particular tool to be called.
/// </summary>
public sealed class ScriptedChatService(params (string Tool, KernelArguments Arguments)[][] turns) : IChatCompletionService
{
    private readonly List<ChatMessageContent[]> _requests = [];
    private int _turn;

    public IReadOnlyDictionary<string, object?> Attributes { get; } = new Dictionary<string, object?>();

    /// <summary>The history as it was at each request, so a test can read what the model was told.</summary>
    public IReadOnlyList<ChatMessageContent[]> Requests
    {
        get { lock (_requests) { return _requests.ToArray(); } }
    }

    public Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        lock (_requests)
        {
            _requests.Add(chatHistory.ToArray());
        }
        var turn = Interlocked.Increment(ref _turn) - 1;
        var reply = new ChatMessageContent(AuthorRole.Assistant, turn < turns.Length ? $"scripted turn {turn + 1}" : "scripted answer", "scripted");
        if (turn < turns.Length)
        {
            foreach (var (call, index) in turns[turn].Select((c, i) => (c, i)))
            {
                reply.Items.Add(new FunctionCallContent(call.Tool, id: $"call_{turn}_{index}", arguments: call.Arguments));
            }
        }
        return Task.FromResult<IReadOnlyList<ChatMessageContent>>([reply]);
    }

    public IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();
}
