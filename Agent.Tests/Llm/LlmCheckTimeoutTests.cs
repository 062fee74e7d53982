using Agent.Core.Configuration;
using Agent.Core.Llm;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agent.Tests.Llm;

/// <summary>The connectivity check's deadline (LLM_TIMEOUT) runs on the injected clock: the test advances it instead of waiting.</summary>
public sealed class LlmCheckTimeoutTests
{
    [Fact]
    public async Task RunAsync_ProviderNeverAnswers_ReportsTheTimeoutOnlyOnceTheClockPassesIt()
    {
        var clock = new FakeTimeProvider();
        var chat = new SilentChatService();
        var check = new LlmCheck(chat, Options.Create(new LlmOptions { Provider = "openai", Model = "gpt-test", RequestTimeout = 60 }), clock);

        var running = check.RunAsync();
        await chat.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(50);
        Assert.False(running.IsCompleted, "the check ended before LLM_TIMEOUT passed");
        clock.Advance(TimeSpan.FromSeconds(1));
        var result = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("No answer within 60 s (LLM_TIMEOUT): check LLM_BASE_URL and that the provider is up.", result.Problem);
        Assert.False(result.ToolCalled);
        Assert.True(chat.Cancelled, "the request in flight was not cancelled");
    }

    /// <summary>A provider that takes the request and never answers until it is cancelled.</summary>
    private sealed class SilentChatService : IChatCompletionService
    {
        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Cancelled { get; private set; }

        public IReadOnlyDictionary<string, object?> Attributes { get; } = new Dictionary<string, object?>();

        public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(
            ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
        {
            Asked.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled = true;
                throw;
            }
            throw new InvalidOperationException("unreachable");
        }

        public IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(
            ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
