using System.Globalization;
using System.Text.Json.Nodes;
using Agent.Core.Llm;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Tools;

/// <summary>
/// Each built-in tool's schema is generated from its input record; it must say what the hand-written schema said
/// (saved in Fixtures/Schemas before the change), to the validator, the model and the console's Tools page alike.
/// </summary>
public sealed class GeneratedSchemaTests : IDisposable
{
    private static readonly string FixtureDirectory = Path.Combine(RepositoryPaths.Root, "Agent.Tests", "Tools", "Fixtures", "Schemas");

    // Nothing blocked, so that every tool is offered to the model.
    private readonly ToolHarness _tools = new(new Dictionary<string, string?> { ["Agent:BlockedPermissions"] = "" }, s => s.AddSingleton<IAgentTool>(new WideTool()));

    public void Dispose() => _tools.Dispose();

    private static readonly string[] FixtureNames = Directory.GetFiles(FixtureDirectory, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order().ToArray();

    public static TheoryData<string> BuiltInTools => new(FixtureNames);

    [Fact]
    public void Fixtures_EveryBuiltInToolHasOne()
    {
        var builtIn = _tools.Services.GetRequiredService<ToolRegistry>().All
            .Where(t => t.GetType().Namespace == typeof(Core.Tools.BuiltIn.ReadFileTool).Namespace)
            .Select(t => t.Name);

        Assert.Equal(FixtureNames, builtIn.Order());
    }

    [Theory]
    [MemberData(nameof(BuiltInTools))]
    public void InputSchema_GeneratedFromTheRecord_EqualsTheHandWrittenSchema(string name)
    {
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(FixtureDirectory, name + ".json")))!;

        var generated = JsonNode.Parse(Tool(name).InputSchema.ToJson())!.AsObject();
        // The marker NJsonSchema writes on every root document, the hand-written ones included.
        Assert.Equal("http://json-schema.org/draft-04/schema#", generated["$schema"]?.GetValue<string>());
        generated.Remove("$schema");

        Assert.Equal(Canonical(expected), Canonical(generated));
    }

    [Theory]
    [MemberData(nameof(BuiltInTools))]
    public void ModelFunction_GeneratedSchema_DescribesTheFixtureParameters(string name)
    {
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(FixtureDirectory, name + ".json")))!;
        var required = (expected["required"] as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToHashSet();
        var catalog = new ToolFunctionCatalog(_tools.Services.GetRequiredService<ToolRegistry>(), _tools.Services.GetRequiredService<PermissionPolicy>());
        var function = catalog.Functions.Single(f => f.Name == name);

        var parameters = function.Metadata.Parameters.ToDictionary(p => p.Name);

        Assert.Equal(expected["properties"]!.AsObject().Select(p => p.Key).Order(), parameters.Keys.Order());
        foreach (var (property, schema) in expected["properties"]!.AsObject())
        {
            Assert.Equal(Canonical(schema!), Canonical(JsonNode.Parse(parameters[property].Schema!.ToString())!));
            Assert.Equal(required.Contains(property), parameters[property].IsRequired);
        }
    }

    [Fact]
    public async Task ExecuteAsync_IntegerBeyondTheRecordsType_InvalidInputAndToolNotRun()
    {
        var result = await _tools.RunAsync(WideTool.ToolName, """{"count": 3000000000}""");

        Assert.Equal(ToolExecutionStatus.InvalidInput, result.Status);
        Assert.Equal("Invalid input: count: ValueOutOfRange", result.Error);
        Assert.Equal(0, WideTool.Runs);
    }

    [Fact]
    public async Task ExecuteAsync_ValidArguments_ToolReceivesTheTypedRecord()
    {
        _tools.WriteWorkspaceFile("notes.txt", "one\ntwo\n");

        var read = await _tools.RunAsync("read_file", """{"path": "notes.txt", "max_lines": 1}""");

        Assert.Equal(ToolExecutionStatus.Success, read.Status);
        Assert.Equal("one\n", read.Output!["content"]!.GetValue<string>());
        Assert.True(read.Output!["truncated"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("list_dir", """{"path": null}""", "Invalid input: path: StringExpected")]
    [InlineData("search_files", """{"pattern": null, "query": "x"}""", "Invalid input: pattern: StringExpected")]
    [InlineData("run_command", """{"command": "ls", "args": null}""", "Invalid input: args: ArrayExpected")]
    public async Task ExecuteAsync_NullForANullableRecordProperty_InvalidInput(string tool, string json, string expected)
    {
        var result = await _tools.RunAsync(tool, json);

        Assert.Equal(ToolExecutionStatus.InvalidInput, result.Status);
        Assert.Equal(expected, result.Error);
    }

    [Fact]
    public void InputSchema_SameRecord_GeneratedOnce()
    {
        Assert.Same(ToolInputSchema.Of<WideInput>(), new WideTool().InputSchema);
    }

    private IAgentTool Tool(string name) =>
        _tools.Services.GetRequiredService<ToolRegistry>().All.Single(t => t.Name == name);

    /// <summary>
    /// Sorted keys, sets sorted (<c>required</c>, <c>type</c>), numbers by value, and an empty <c>properties</c> (which
    /// NJsonSchema does not write) left out: equal text means equal meaning.
    /// </summary>
    private static string Canonical(JsonNode node) => Normalize(node, null)!.ToJsonString();

    private static JsonNode? Normalize(JsonNode? node, string? key) => node switch
    {
        JsonObject o => new JsonObject(o.Where(p => !(p.Key == "properties" && p.Value is JsonObject { Count: 0 }))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Normalize(p.Value, p.Key)))),
        JsonArray a when key is "required" or "type" => new JsonArray(a.Select(n => n!.ToJsonString()).Order(StringComparer.Ordinal)
            .Select(t => JsonNode.Parse(t)).ToArray()),
        JsonArray a => new JsonArray(a.Select(n => Normalize(n, null)).ToArray()),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number =>
            JsonValue.Create(decimal.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture).ToString("G29", CultureInfo.InvariantCulture)),
        _ => node?.DeepClone(),
    };

    /// <summary>Takes any integer the schema allows; a C# int cannot hold all of them.</summary>
    private sealed class WideTool : AgentTool<WideInput>
    {
        public const string ToolName = "wide";

        private static int _runs;

        public static int Runs => _runs;

        public override string Name => ToolName;

        public override string Description => "Counts to a number.";

        public override ToolPermission Permissions => ToolPermission.None;

        public override Task<JsonNode?> ExecuteAsync(WideInput input, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            return Task.FromResult<JsonNode?>(input.Count);
        }
    }

    private sealed record WideInput
    {
        public required int Count { get; init; }
    }
}
