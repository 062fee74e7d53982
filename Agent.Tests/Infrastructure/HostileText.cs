using System.Text.Json.Nodes;
using Agent.Core.Tools;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agent.Tests.Infrastructure;

/// <summary>Markup an attacker would plant in tool names, reasoning, outputs, file names and errors.</summary>
public static class HostileText
{
    public const string Img = "<img src=x onerror=alert(4)>";
    public const string Style = "<style>body{display:none}</style>";
    public const string Script = "<script>alert(1)</script>";
    public const string Svg = "<svg onload=alert(3)>";

    public static readonly string[] All = [Img, Style, Script, Svg];

    /// <summary>One string with every payload and a line break between them.</summary>
    public static string Combined => string.Join("\n", All);

    /// <summary>
    /// Elements that exist only if a payload was parsed as markup. Rendered as text, the payloads appear escaped in
    /// text and unescaped inside attribute values (where they are inert), so the check is on the DOM, not the source.
    /// </summary>
    public const string InjectedElements = "img, style, script, svg[onload], [onerror], [onload]";
}

/// <summary>Returns its <c>text</c> argument as output: lets a test put any text into a recorded tool output.</summary>
public sealed class EchoTool : AgentTool<EchoInput>
{
    public const string ToolName = "echo_text";

    public override string Name => ToolName;

    public override string Description => "Echoes text.";

    public override ToolPermission Permissions => ToolPermission.None;

    public override Task<JsonNode?> ExecuteAsync(EchoInput input, CancellationToken cancellationToken) =>
        Task.FromResult<JsonNode?>(new JsonObject { ["text"] = input.Text, ["file"] = HostileText.Img + ".txt" });
}

/// <summary>The text the echo tool returns.</summary>
public sealed record EchoInput
{
    public required string Text { get; init; }
}

/// <summary>A model whose every word is hostile: reasoning, an unknown tool named with markup, echoed markup, answer.</summary>
public sealed class HostileChatService : IChatCompletionService
{
    public IReadOnlyDictionary<string, object?> Attributes { get; } = new Dictionary<string, object?>();

    public Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        // Each run's first turn calls the tools; once results are in the history, it answers.
        var first = !chatHistory.Any(m => m.Role == AuthorRole.Tool || m.Items.OfType<FunctionResultContent>().Any());
        var reply = new ChatMessageContent(AuthorRole.Assistant, (first ? "Thinking " : "Answer ") + HostileText.Combined, "hostile-model");
        if (first)
        {
            reply.Items.Add(new FunctionCallContent(HostileText.Img, id: "call_1", arguments: new KernelArguments()));
            reply.Items.Add(new FunctionCallContent(EchoTool.ToolName, id: "call_2", arguments: new KernelArguments { ["text"] = HostileText.Combined }));
        }
        return Task.FromResult<IReadOnlyList<ChatMessageContent>>([reply]);
    }

    public IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();
}
