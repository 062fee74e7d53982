using Agent.Core.Tools;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Tools;

/// <summary>Every input is checked against the tool's JSON Schema; a rejected input never reaches the tool.</summary>
public sealed class SchemaValidationTests : IDisposable
{
    private readonly CountingTool _counting = new();
    private readonly ToolHarness _tools;

    public SchemaValidationTests()
    {
        _tools = new ToolHarness(configure: s => s.AddSingleton<IAgentTool>(_counting));
        _tools.WriteWorkspaceFile("notes.txt", "hello");
    }

    public void Dispose() => _tools.Dispose();

    [Theory]
    [InlineData("""{"path": "notes.txt", "max_lines": 1001}""", "Invalid input: max_lines: NumberTooBig (maximum 1000)")]
    [InlineData("""{"path": "notes.txt", "max_lines": 0}""", "Invalid input: max_lines: NumberTooSmall (minimum 1)")]
    [InlineData("""{"path": "notes.txt", "max_lines": -5}""", "Invalid input: max_lines: NumberTooSmall (minimum 1)")]
    [InlineData("""{"path": "notes.txt", "max_lines": "10"}""", "Invalid input: max_lines: IntegerExpected")]
    [InlineData("""{"path": "notes.txt", "max_lines": 2.5}""", "Invalid input: max_lines: IntegerExpected")]
    [InlineData("""{"max_lines": 10}""", "Invalid input: path: PropertyRequired")]
    [InlineData("""{"path": 42}""", "Invalid input: path: StringExpected")]
    [InlineData("""{"path": ""}""", "Invalid input: path: StringTooShort (minLength 1)")]
    [InlineData("""{"path": "notes.txt", "encoding": "latin1"}""", "Invalid input: encoding: NoAdditionalPropertiesAllowed (unknown property)")]
    public async Task ReadFile_SchemaViolation_InvalidInputWithValidatorMessage(string json, string expected)
    {
        var result = await _tools.RunAsync("read_file", json);

        Assert.Equal(ToolExecutionStatus.InvalidInput, result.Status);
        Assert.Equal(expected, result.Error);
        Assert.Null(result.Output);
    }

    [Fact]
    public async Task ReadFile_PathLongerThan4096_InvalidInputStringTooLong()
    {
        var result = await _tools.RunAsync("read_file", $$"""{"path": "{{new string('a', 5000)}}"}""");

        Assert.Equal(ToolExecutionStatus.InvalidInput, result.Status);
        Assert.Equal("Invalid input: path: StringTooLong (maxLength 4096)", result.Error);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("\"read everything\"")]
    [InlineData("42")]
    public async Task ExecuteAsync_InputNotAnObject_InvalidInputAndToolNotRun(string json)
    {
        var result = await _tools.RunAsync("counting", json);

        Assert.Equal(ToolExecutionStatus.InvalidInput, result.Status);
        Assert.Equal("Invalid input: input must be a JSON object.", result.Error);
        Assert.Equal(0, _counting.Executions);
    }

    [Fact]
    public async Task ExecuteAsync_SeveralViolations_AllReportedAndToolNotRun()
    {
        var result = await _tools.RunAsync("counting", """{"n": 11, "extra": true}""");

        Assert.Equal(ToolExecutionStatus.InvalidInput, result.Status);
        Assert.Equal("Invalid input: extra: NoAdditionalPropertiesAllowed (unknown property); n: NumberTooBig (maximum 10)", result.Error);
        Assert.Equal(0, _counting.Executions);
    }

    [Fact]
    public async Task ExecuteAsync_NullInputForToolWithRequiredProperty_InvalidInput()
    {
        var result = await _tools.RunAsync("counting", null);

        Assert.Equal(ToolExecutionStatus.InvalidInput, result.Status);
        Assert.Equal("Invalid input: n: PropertyRequired", result.Error);
        Assert.Equal(0, _counting.Executions);
    }

    [Fact]
    public async Task ExecuteAsync_ValidInput_ToolRunsOnce()
    {
        var result = await _tools.RunAsync("counting", """{"n": 3}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal(1, _counting.Executions);
    }

    [Fact]
    public async Task SearchFiles_NeitherPatternNorQuery_InvalidInputNamingBoth()
    {
        var result = await _tools.RunAsync("search_files", """{"path": "."}""");

        Assert.Equal(ToolExecutionStatus.InvalidInput, result.Status);
        Assert.Equal("Invalid input: input: NotAnyOf (pattern: PropertyRequired or query: PropertyRequired)", result.Error);
    }

    [Fact]
    public async Task WriteFile_ContentMissingAndAppendNotBoolean_InvalidInput()
    {
        var result = await _tools.RunAsync("write_file", """{"path": "x.txt", "append": "yes"}""");

        Assert.Equal(ToolExecutionStatus.InvalidInput, result.Status);
        Assert.Equal("Invalid input: append: BooleanExpected; content: PropertyRequired", result.Error);
        Assert.False(File.Exists(_tools.InWorkspace("x.txt")));
    }

    [Theory]
    [InlineData("""{"command": "/bin/sh"}""", "Invalid input: command: PatternMismatch (pattern ^[A-Za-z0-9][A-Za-z0-9._+-]*$)")]
    [InlineData("""{"command": "ls; rm -rf /"}""", "Invalid input: command: PatternMismatch (pattern ^[A-Za-z0-9][A-Za-z0-9._+-]*$)")]
    [InlineData("""{"command": "echo", "args": "hello"}""", "Invalid input: args: ArrayExpected")]
    [InlineData("""{"command": "echo", "args": [1]}""", "Invalid input: args[0]: StringExpected")]
    public async Task RunCommand_SchemaViolation_InvalidInputEvenWhenExecuteAllowed(string json, string expected)
    {
        using var tools = new ToolHarness(new Dictionary<string, string?>
        {
            ["Agent:BlockedPermissions"] = "",
            ["Tools:CommandAllowlist"] = "echo",
        });

        var result = await tools.RunAsync("run_command", json);

        Assert.Equal(ToolExecutionStatus.InvalidInput, result.Status);
        Assert.Equal(expected, result.Error);
    }
}
