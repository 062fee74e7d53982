using System.Text.Json.Nodes;
using Agent.Core.Runs;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Agent.Web.Api;

/// <summary>
/// Makes the OpenAPI document one a client generator can trust: integers and date-times typed as such, closed value
/// sets as enums, the input's length limits, typed run-event payloads and the real SSE framing, each error status
/// declared where it can happen, export media types, and a description on every parameter.
/// </summary>
internal static class OpenApiContract
{
    private static readonly string[] RunStatuses = [RunStatus.Success, RunStatus.Error, RunStatus.ToolError];
    private static readonly string[] StoredRunStatuses = [RunStatus.Running, RunStatus.Success, RunStatus.ToolError, RunStatus.Error];
    private static readonly string[] ToolStatuses = ["success", "error", "timeout", "blocked", "invalid_input", "unknown_tool"];
    private static readonly string[] EventTypes = [.. RunEventJson.DataTypes.Keys];

    /// <summary>The component name of a run event on the wire, as clients generated from earlier documents know it.</summary>
    private const string RunEventSchema = "RunEventResponse";

    private static readonly Dictionary<string, string> ParameterDescriptions = new(StringComparer.Ordinal)
    {
        ["id"] = "The run's request id (a UUID), as returned by POST /agent/run or /agent/runs.",
        ["status"] = "Only runs with this status.",
        ["tool_name"] = "Only runs that called this tool.",
        ["source"] = "Only runs started from this source.",
        ["principal"] = "Only runs started with this API key name (never the key itself).",
        ["from"] = "Only runs created at or after this instant (ISO-8601, e.g. 2026-01-15T10:30:00Z).",
        ["to"] = "Only runs created before this instant (ISO-8601, exclusive).",
        ["q"] = "Words searched in the input, output and error of runs and their tool executions (all must match; word prefixes).",
        ["sort"] = "Sort field; default created_at.",
        ["desc"] = "Descending order (default true).",
        ["page"] = "Page number, from 1 (default 1).",
        ["page_size"] = "Results per page, 1 to 500 (default 50).",
        ["format"] = "Export format: csv (one row per run) or jsonl (one full run per line).",
    };

    private static readonly Dictionary<string, string[]> ParameterEnums = new(StringComparer.Ordinal)
    {
        ["status"] = StoredRunStatuses,
        ["source"] = AuditSearchParameters.Sources,
        ["sort"] = ["created_at", "completed_at", "duration_ms", "status", "source", "principal"],
        ["format"] = ["csv", "jsonl"],
    };

    public static void Apply(OpenApiOptions options)
    {
        options.CreateSchemaReferenceId = info => info.Type == typeof(RunEvent) ? RunEventSchema : OpenApiOptions.CreateDefaultSchemaReferenceId(info);
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            if (type == typeof(RunEvent))
            {
                // Written by its own converter (cached bytes), so the envelope is described here.
                DescribeRunEvent(schema);
                return Task.CompletedTask;
            }
            // The web JSON defaults read numbers from strings too; the API itself only ever writes numbers.
            if (schema.Type is { } t && (t.HasFlag(JsonSchemaType.Integer) || t.HasFlag(JsonSchemaType.Number)) && t.HasFlag(JsonSchemaType.String))
            {
                schema.Type = t & ~JsonSchemaType.String;
                schema.Pattern = null;
            }
            if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
            {
                schema.Type = JsonSchemaType.String;
                schema.Format = "date-time";
            }
            else if (type == typeof(DateTimeOffset?) || type == typeof(DateTime?))
            {
                schema.Type = JsonSchemaType.String | JsonSchemaType.Null;
                schema.Format = "date-time";
            }
            return Task.CompletedTask;
        });
        options.AddDocumentTransformer((document, _, _) =>
        {
            var schemas = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
            Enum(schemas, "AgentRunResponse", "status", RunStatuses);
            Enum(schemas, "AsyncRunStatus", "status", StoredRunStatuses);
            Enum(schemas, "AsyncRunAccepted", "status", [RunStatus.Running]);
            Enum(schemas, "RunSummary", "status", StoredRunStatuses);
            Enum(schemas, "RunDetail", "status", StoredRunStatuses);
            Enum(schemas, "RunSummary", "source", AuditSearchParameters.Sources);
            Enum(schemas, "RunDetail", "source", AuditSearchParameters.Sources);
            Enum(schemas, "ToolExecutionResponse", "status", ToolStatuses);
            Enum(schemas, "ToolExecutionDetail", "status", ToolStatuses);
            Enum(schemas, "HealthResponse", "status", ["healthy", "unhealthy"]);
            Enum(schemas, "AuditVerifyResponse", "status", ["ok", "broken"]);
            Enum(schemas, RunEventSchema, "type", EventTypes);
            if (Property(schemas, "AgentRunRequest", "input") is { } input)
            {
                input.Type = JsonSchemaType.String;
                input.MinLength = 1;
                input.MaxLength = AgentRunRequest.MaxInputLength;
                input.Description = "The instruction, 1 to 10000 characters.";
            }
            if (Property(schemas, "AsyncRunStatus", "steps") is { } steps)
            {
                // A type written by its own converter is not referenced from a list by itself.
                steps.Items = new OpenApiSchemaReference(RunEventSchema, document);
            }
            AddEventPayloads(document, schemas);
            schemas.Remove("SseItemOfRunEvent");
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
            {
                parameter.Description ??= ParameterDescriptions.GetValueOrDefault(parameter.Name ?? "");
                if (parameter.Schema is OpenApiSchema schema)
                {
                    if (parameter.Name is "from" or "to")
                    {
                        schema.Type = JsonSchemaType.String;
                        schema.Format = "date-time";
                    }
                    if (parameter.Name is { } name && ParameterEnums.TryGetValue(name, out var values)
                        && (context.Description.RelativePath?.StartsWith("audit", StringComparison.Ordinal) ?? false))
                    {
                        schema.Type = JsonSchemaType.String;
                        schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
                    }
                }
            }
            var responses = operation.Responses ??= new OpenApiResponses();
            if (operation.RequestBody is null)
            {
                // No body, so no body errors.
                responses.Remove("413");
                responses.Remove("422");
            }
            var secured = operation.Security is { Count: > 0 };
            if (metadata.OfType<RunRateLimited>().Any())
            {
                Error(responses, "429", "Rate limit exceeded (RATE_LIMIT_REQUESTS per minute per key, or RATE_LIMIT_UNAUTHENTICATED per "
                    + "minute per client address without a valid key); see the Retry-After header.", context.Document);
            }
            else if (secured)
            {
                // Requests without a valid key are limited per client address before they are answered with 401.
                Error(responses, "429", "Too many requests without a valid key from this address (RATE_LIMIT_UNAUTHENTICATED per minute); "
                    + "see the Retry-After header.", context.Document);
            }
            else
            {
                responses.Remove("429");
            }
            if (secured)
            {
                Error(responses, "401", "Missing or wrong X-API-Key.", context.Document);
                Error(responses, "403", "The key is valid but its role does not allow this operation or run.", context.Document);
            }
            Describe(responses, "400", "Invalid query: `details` names each bad parameter.");
            Describe(responses, "404", "No run with this id.");
            Describe(responses, "409", "The run has already finished.");
            Describe(responses, "413", "Body larger than MAX_REQUEST_SIZE.");
            Describe(responses, "422", "Invalid body: `details` lists each problem.");
            var path = context.Description.RelativePath ?? "";
            if (path == "audit/export" && responses.TryGetValue("200", out var exported) && exported is OpenApiResponse export)
            {
                export.Description = "The matching runs, streamed: CSV with one row per run, or JSON Lines with one full run (as GET /audit/requests/{id}) per line.";
                export.Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                    ["application/x-ndjson"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                };
            }
            if (path.EndsWith("/events", StringComparison.Ordinal) && responses.TryGetValue("200", out var streamed) && streamed is OpenApiResponse events)
            {
                events.Description = "Server-Sent Events, from the run's first event until run_finished. Each event is framed as "
                    + "`event: <type>` (" + string.Join(", ", EventTypes) + "), `id: <sequence>` and "
                    + "`data: <RunEventResponse JSON>`; the schema below is that data line.";
                events.Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["text/event-stream"] = new() { Schema = new OpenApiSchemaReference(RunEventSchema, context.Document) },
                };
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>One schema per event type for <c>data</c>, so generated clients get typed payloads.</summary>
    private static void AddEventPayloads(OpenApiDocument document, IDictionary<string, IOpenApiSchema> schemas)
    {
        if (!schemas.TryGetValue(RunEventSchema, out var eventSchema) || eventSchema is not OpenApiSchema runEvent || runEvent.Properties is null)
        {
            return;
        }
        static OpenApiSchema Obj(string description, params (string Name, JsonSchemaType Type, bool Required)[] properties) => new()
        {
            Type = JsonSchemaType.Object,
            Description = description,
            Properties = properties.ToDictionary(p => p.Name, p => (IOpenApiSchema)new OpenApiSchema { Type = p.Type }),
            Required = properties.Where(p => p.Required).Select(p => p.Name).ToHashSet(),
        };
        const JsonSchemaType NullableString = JsonSchemaType.String | JsonSchemaType.Null;
        const JsonSchemaType NullableInteger = JsonSchemaType.Integer | JsonSchemaType.Null;
        var anyJson = new OpenApiSchema();
        var payloads = new Dictionary<string, OpenApiSchema>
        {
            ["RunStartedData"] = Obj("run_started", ("input", JsonSchemaType.String, true), ("source", JsonSchemaType.String, true)),
            ["DecisionData"] = Obj("decision: one model turn", ("step", JsonSchemaType.Integer, true), ("reasoning", NullableString, true),
                ("model", NullableString, false), ("input_tokens", NullableInteger, false), ("output_tokens", NullableInteger, false), ("latency_ms", JsonSchemaType.Integer, true)),
            ["ToolStartedData"] = Obj("tool_started", ("call_id", NullableString, true), ("tool_name", JsonSchemaType.String, true)),
            ["ToolCompletedData"] = Obj("tool_completed", ("call_id", NullableString, true), ("tool_name", JsonSchemaType.String, true),
                ("duration_ms", JsonSchemaType.Integer, true), ("error", NullableString, true), ("truncated", JsonSchemaType.Boolean, true)),
            ["ApprovalRequestedData"] = Obj("approval_requested: a call waits for a person; run_status is awaiting_approval",
                ("approval_id", JsonSchemaType.String, true), ("call_id", NullableString, true), ("tool_name", JsonSchemaType.String, true),
                ("rule_id", JsonSchemaType.String, true), ("reason", NullableString, true), ("expires_at", JsonSchemaType.String, true), ("run_status", JsonSchemaType.String, true)),
            ["ApprovalDecidedData"] = Obj("approval_decided: the answer; run_status is running again",
                ("approval_id", JsonSchemaType.String, true), ("call_id", NullableString, true), ("tool_name", JsonSchemaType.String, true),
                ("status", JsonSchemaType.String, true), ("decided_by", NullableString, true), ("scope", NullableString, true),
                ("comment", NullableString, true), ("run_status", JsonSchemaType.String, true)),
            ["RunFinishedData"] = Obj("run_finished", ("output", NullableString, true), ("error", NullableString, true), ("duration_ms", JsonSchemaType.Integer, true)),
        };
        payloads["ApprovalRequestedData"].Properties!["input"] = anyJson;
        payloads["DecisionData"].Properties!["tools"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = anyJson };
        payloads["ToolStartedData"].Properties!["input"] = anyJson;
        payloads["ToolCompletedData"].Properties!["output"] = anyJson;
        payloads["ToolCompletedData"].Properties!["status"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. ToolStatuses.Select(s => (JsonNode)JsonValue.Create(s))] };
        payloads["RunFinishedData"].Properties!["status"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. RunStatuses.Select(s => (JsonNode)JsonValue.Create(s))] };
        foreach (var (name, payload) in payloads)
        {
            schemas[name] = payload;
        }
        runEvent.Properties["data"] = new OpenApiSchema
        {
            Description = "The event's payload; its shape follows `type`.",
            OneOf = [.. payloads.Keys.Select(k => (IOpenApiSchema)new OpenApiSchemaReference(k, document))],
        };
    }

    /// <summary>The envelope every run event has: <c>{"run_id","sequence","type","timestamp","data"}</c>.</summary>
    private static void DescribeRunEvent(OpenApiSchema schema)
    {
        schema.Type = JsonSchemaType.Object;
        schema.Description = "One run event on the wire (SSE, SignalR, status).";
        schema.Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["run_id"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["sequence"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["timestamp"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
            ["data"] = new OpenApiSchema(),
        };
        schema.Required = new HashSet<string>(["run_id", "sequence", "type", "timestamp", "data"]);
    }

    private static OpenApiSchema? Property(IDictionary<string, IOpenApiSchema> schemas, string schema, string property) =>
        schemas.TryGetValue(schema, out var s) && s is OpenApiSchema owner && owner.Properties?.TryGetValue(property, out var p) == true ? p as OpenApiSchema : null;

    private static void Enum(IDictionary<string, IOpenApiSchema> schemas, string schema, string property, string[] values)
    {
        if (Property(schemas, schema, property) is { } target)
        {
            target.Type = JsonSchemaType.String;
            target.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
        }
    }

    private static void Error(OpenApiResponses responses, string status, string description, OpenApiDocument? document)
    {
        if (!responses.ContainsKey(status))
        {
            responses[status] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchemaReference("ErrorResponse", document) } },
            };
        }
        Describe(responses, status, description);
    }

    private static void Describe(OpenApiResponses responses, string status, string description)
    {
        if (responses.TryGetValue(status, out var response) && response is OpenApiResponse r && (string.IsNullOrEmpty(r.Description) || r.Description.Length < 20))
        {
            r.Description = description;
        }
    }
}
