using Agent.Core.Llm;
using Agent.Core.Tools;
using Agent.Core.Tools.BuiltIn;
using Agent.Tests.Infrastructure;
using Microsoft.SemanticKernel;
using NJsonSchema;

namespace Agent.Tests.Llm;

/// <summary>Semantic Kernel hands tool arguments over as strings; the tool's schema types them back.</summary>
public sealed class ToolArgumentsTests
{
    [Theory]
    [InlineData("20", JsonObjectType.Integer, "20")]
    [InlineData(" 7 ", JsonObjectType.Integer, "7")]
    [InlineData("2.5", JsonObjectType.Number, "2.5")]
    [InlineData("true", JsonObjectType.Boolean, "true")]
    [InlineData("False", JsonObjectType.Boolean, "false")]
    [InlineData("[1,2]", JsonObjectType.Array, "[1,2]")]
    [InlineData("{\"a\":1}", JsonObjectType.Object, "{\"a\":1}")]
    [InlineData("20", JsonObjectType.String, "\"20\"")]
    [InlineData("20", JsonObjectType.None, "\"20\"")]
    [InlineData("twenty", JsonObjectType.Integer, "\"twenty\"")]
    [InlineData("2.5", JsonObjectType.Integer, "\"2.5\"")]
    [InlineData("[1,", JsonObjectType.Array, "\"[1,\"")]
    [InlineData("null", JsonObjectType.Integer | JsonObjectType.Null, "null")]
    public void Coerce_StringValue_BecomesTheSchemaTypeWhenItFits(string text, JsonObjectType declared, string expectedJson)
    {
        var value = ToolArguments.Coerce(text, declared);

        Assert.Equal(expectedJson, value?.ToJsonString() ?? "null");
    }

    [Fact]
    public void ToJson_ReadFileCallWithStringNumbers_ValidatesAgainstTheToolSchema()
    {
        var tool = new NetworkTestTool();
        var readFile = ToolInputSchema.Of<ReadFileInput>();
        var call = new FunctionCallContent("read_file", arguments: new KernelArguments { ["path"] = "007", ["max_lines"] = "20" });

        var json = ToolArguments.ToJson(call, new ReadFileShape())!;

        Assert.Equal("""{"path":"007","max_lines":20}""", json.ToJsonString());
        Assert.Equal(new ReadFileInput { Path = "007", MaxLines = 20 }, ToolInputSchema.Read(json, typeof(ReadFileInput)));
        Assert.Empty(readFile.Validate(json.ToJsonString()));
        Assert.Equal("""{"url":"https://x"}""", ToolArguments.ToJson(
            new FunctionCallContent("fetch_url", arguments: new KernelArguments { ["url"] = "https://x" }), tool)!.ToJsonString());
    }

    [Fact]
    public void ToolName_CallSplitByTheConnector_IsReassembled()
    {
        Assert.Equal("shell-exec", ToolArguments.ToolName(new FunctionCallContent("exec", "shell")));
        Assert.Equal("list_dir", ToolArguments.ToolName(new FunctionCallContent("list_dir")));
    }

    private sealed class ReadFileShape : AgentTool<ReadFileInput>
    {
        public override string Name => "read_file";
        public override string Description => "";
        public override ToolPermission Permissions => ToolPermission.Read;
        public override Task<System.Text.Json.Nodes.JsonNode?> ExecuteAsync(ReadFileInput input, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
