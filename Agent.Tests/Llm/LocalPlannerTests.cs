using System.Text.Json.Nodes;
using Agent.Core;
using Agent.Core.Llm;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agent.Tests.Llm;

/// <summary>The offline planner: plain English in, built-in tool calls out, and a readable answer from the results.</summary>
public sealed class LocalPlannerTests
{
    [Theory]
    [InlineData("List the files in docs", "list_dir {\"path\":\"docs\"}")]
    [InlineData("list the files", "list_dir {\"path\":\".\"}")]
    [InlineData("List the files in the workspace", "list_dir {\"path\":\".\"}")]
    [InlineData("Please show me the contents of the docs folder.", "list_dir {\"path\":\"docs\"}")]
    [InlineData("what's in src/app?", "list_dir {\"path\":\"src/app\"}")]
    [InlineData("ls docs", "list_dir {\"path\":\"docs\"}")]
    [InlineData("read notes.txt, first 20 lines", "read_file {\"path\":\"notes.txt\",\"max_lines\":20}")]
    [InlineData("Read notes.txt", "read_file {\"path\":\"notes.txt\"}")]
    [InlineData("show me the first 5 lines of docs/guide.md", "read_file {\"path\":\"docs/guide.md\",\"max_lines\":5}")]
    [InlineData("Could you open the file README.md (first ten lines)?", "read_file {\"path\":\"README.md\",\"max_lines\":10}")]
    [InlineData("cat 'my notes.txt'", "read_file {\"path\":\"my notes.txt\"}")]
    [InlineData("search for TODO in *.md", "search_files {\"query\":\"TODO\",\"pattern\":\"*.md\"}")]
    [InlineData("search for 'fix me' in docs", "search_files {\"query\":\"fix me\",\"path\":\"docs\"}")]
    [InlineData("search docs/*.cs for Main", "search_files {\"query\":\"Main\",\"pattern\":\"*.cs\",\"path\":\"docs\"}")]
    [InlineData("which files contain TODO?", "search_files {\"query\":\"TODO\"}")]
    [InlineData("find TODO in docs", "search_files {\"query\":\"TODO\",\"path\":\"docs\"}")]
    [InlineData("find the word 'to do' in notes.txt", "search_files {\"query\":\"to do\",\"pattern\":\"notes.txt\"}")]
    [InlineData("find files named *.txt", "search_files {\"pattern\":\"*.txt\"}")]
    [InlineData("Find all *.md files in docs", "search_files {\"pattern\":\"*.md\",\"path\":\"docs\"}")]
    [InlineData("locate files called notes.txt", "search_files {\"pattern\":\"notes.txt\"}")]
    [InlineData("check your health", "health_check {}")]
    [InlineData("Are you healthy?", "health_check {}")]
    [InlineData("run a health check", "health_check {}")]
    [InlineData("write 'hello' to out.txt", "write_file {\"path\":\"out.txt\",\"content\":\"hello\"}")]
    [InlineData("Save \"two words\" into notes/out.md", "write_file {\"path\":\"notes/out.md\",\"content\":\"two words\"}")]
    [InlineData("write hello world to greeting.txt", "write_file {\"path\":\"greeting.txt\",\"content\":\"hello world\"}")]
    [InlineData("create a file todo.txt containing 'buy milk'", "write_file {\"path\":\"todo.txt\",\"content\":\"buy milk\"}")]
    [InlineData("write to log.txt: started", "write_file {\"path\":\"log.txt\",\"content\":\"started\"}")]
    public async Task Plan_SingleInstruction_EmitsTheMatchingToolCall(string instruction, string expected)
    {
        var calls = await PlanAsync(instruction);

        Assert.Equal([expected], calls);
    }

    [Theory]
    [InlineData("list the files and read README.md", "list_dir {\"path\":\".\"}", "read_file {\"path\":\"README.md\"}")]
    [InlineData("Read notes.txt, then list docs", "read_file {\"path\":\"notes.txt\"}", "list_dir {\"path\":\"docs\"}")]
    [InlineData("check your health; find files named *.log", "health_check {}", "search_files {\"pattern\":\"*.log\"}")]
    [InlineData("write 'a and read b' to out.txt and then read out.txt", "write_file {\"path\":\"out.txt\",\"content\":\"a and read b\"}", "read_file {\"path\":\"out.txt\"}")]
    [InlineData("First search for TODO in *.md. Then show me the first 3 lines of todo.md", "search_files {\"query\":\"TODO\",\"pattern\":\"*.md\"}", "read_file {\"path\":\"todo.md\",\"max_lines\":3}")]
    public async Task Plan_TwoStepInstruction_EmitsBothCallsInOrderInOneTurn(string instruction, string first, string second)
    {
        var calls = await PlanAsync(instruction);

        Assert.Equal([first, second], calls);
    }

    [Theory]
    [InlineData("make me a sandwich")]
    [InlineData("delete notes.txt")]
    [InlineData("run rm -rf /")]
    [InlineData("fetch https://example.com")]
    [InlineData("what is the weather like?")]
    [InlineData("write to out.txt")]
    [InlineData("find files")]
    [InlineData("")]
    public async Task Plan_InstructionItCannotMap_AnswersHonestlyWithoutToolCalls(string instruction)
    {
        var reply = await AskAsync(new ChatHistory(), instruction);

        Assert.Empty(FunctionCallContent.GetFunctionCalls(reply));
        Assert.Equal(InstructionParser.Help, reply.Content);
        Assert.Contains("list the files", reply.Content);
        Assert.Contains("check your health", reply.Content);
    }

    [Fact]
    public async Task Plan_PartlyUnderstoodInstruction_CallsWhatItUnderstandsAndNamesTheRest()
    {
        var reply = await AskAsync(new ChatHistory(), "delete notes.txt and list the files");

        var call = Assert.Single(FunctionCallContent.GetFunctionCalls(reply));
        Assert.Equal("list_dir", call.FunctionName);
        Assert.Contains("Not understood, so not acted on: \"delete notes.txt\"", reply.Content);
    }

    [Fact]
    public async Task Plan_ReadWithLineCount_PassesAnIntegerArgument()
    {
        var reply = await AskAsync(new ChatHistory(), "read notes.txt, first 20 lines");

        var call = Assert.Single(FunctionCallContent.GetFunctionCalls(reply));
        Assert.Equal(20, call.Arguments!["max_lines"]);
        Assert.Equal("notes.txt", call.Arguments["path"]);
        Assert.Equal(LocalPlanner.ModelName, reply.ModelId);
    }

    [Fact]
    public async Task Answer_AfterToolResults_DescribesEachResultReadably()
    {
        var history = new ChatHistory();
        history.AddUserMessage("list the files and read notes.txt");
        var plan = await new LocalPlanner().GetChatMessageContentAsync(history);
        history.Add(plan);
        var calls = FunctionCallContent.GetFunctionCalls(plan).ToList();
        history.Add(new FunctionResultContent(calls[0], Success(new JsonObject
        {
            ["path"] = ".",
            ["entries"] = new JsonArray(
                new JsonObject { ["name"] = "docs", ["type"] = "directory" },
                new JsonObject { ["name"] = "notes.txt", ["type"] = "file", ["size"] = 6 }),
            ["count"] = 2,
            ["truncated"] = false,
        })).ToChatMessage());
        history.Add(new FunctionResultContent(calls[1], """{"status":"error","output":null,"error":"File 'notes.txt' does not exist."}""").ToChatMessage());

        var answer = await new LocalPlanner().GetChatMessageContentAsync(history);

        Assert.Empty(FunctionCallContent.GetFunctionCalls(answer));
        Assert.Equal(
            "The workspace contains 2 entries: docs/, notes.txt.\nread_file did not succeed (error): File 'notes.txt' does not exist.",
            answer.Content);
    }

    [Theory]
    [InlineData("search_files", """{"matches":[{"path":"a.md","line":3,"text":"TODO: fix"},{"path":"b.md","line":1,"text":"TODO"}],"count":2}""",
        "The search found 2 matches: a.md:3 TODO: fix; b.md:1 TODO.")]
    [InlineData("search_files", """{"files":["notes.txt","docs/x.txt"]}""", "The search found 2 matches: notes.txt; docs/x.txt.")]
    [InlineData("search_files", """{"matches":[],"count":0}""", "The search found nothing.")]
    [InlineData("write_file", """{"path":"out.txt","bytes_written":5}""", "Wrote 5 bytes to out.txt.")]
    [InlineData("read_file", """{"path":"notes.txt","content":"a\n","line_count":1,"truncated":true}""", "notes.txt (1 lines, more lines not shown):\na\n")]
    [InlineData("list_dir", """{"path":"docs","entries":[],"count":0}""", "'docs' is empty.")]
    public void Describe_SuccessfulResult_ReadsNaturally(string tool, string output, string expected)
    {
        Assert.Equal(expected, ResultDescriber.Describe(tool, Success(JsonNode.Parse(output)!)));
    }

    private static string Success(JsonNode output) =>
        new JsonObject { ["status"] = "success", ["output"] = output, ["error"] = null }.ToJsonString(JsonDefaults.Compact);

    private static async Task<IReadOnlyList<string>> PlanAsync(string instruction)
    {
        var reply = await AskAsync(new ChatHistory(), instruction);
        return FunctionCallContent.GetFunctionCalls(reply)
            .Select(c => $"{c.FunctionName} {new JsonObject(c.Arguments!.Select(a => KeyValuePair.Create(a.Key, a.Value is int i ? (JsonNode?)i : (string?)a.Value))).ToJsonString()}")
            .ToList();
    }

    private static Task<ChatMessageContent> AskAsync(ChatHistory history, string instruction)
    {
        history.AddSystemMessage("You are an agent.");
        history.AddUserMessage(instruction);
        return new LocalPlanner().GetChatMessageContentAsync(history);
    }
}
