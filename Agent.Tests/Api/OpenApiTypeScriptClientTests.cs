using Agent.Tests.Infrastructure;

namespace Agent.Tests.Api;

/// <summary>
/// A client generated from /openapi/v1.json with openapi-typescript must type-check a small client that starts a run,
/// reads it and searches the audit, with numbers as numbers, date-times as strings, statuses as unions and typed event
/// payloads; and the same types must reject a client that gets those wrong.
/// </summary>
[Trait("Category", "Process")]
public sealed class OpenApiTypeScriptClientTests
{
    private const string Client = """
        import type { paths, components } from "./api";

        type Accepted = paths["/agent/runs"]["post"]["responses"][202]["content"]["application/json"];
        type RunStatus = paths["/agent/runs/{id}"]["get"]["responses"][200]["content"]["application/json"];
        type AuditPage = paths["/audit/requests"]["get"]["responses"][200]["content"]["application/json"];
        type AuditQuery = NonNullable<paths["/audit/requests"]["get"]["parameters"]["query"]>;
        type RunRequest = paths["/agent/runs"]["post"]["requestBody"] extends { content: { "application/json": infer B } } ? B : never;
        type Problem = components["schemas"]["ErrorResponse"];

        async function call<T>(base: string, key: string, path: string, init?: RequestInit): Promise<T> {
          const response = await fetch(base + path, { ...init, headers: { "X-API-Key": key, "Content-Type": "application/json" } });
          if (!response.ok) {
            const problem = (await response.json()) as Problem;
            throw new Error(`${response.status} ${problem.error} ${(problem.details ?? []).join("; ")}`);
          }
          return (await response.json()) as T;
        }

        export async function startReadAndSearch(base: string, key: string): Promise<number> {
          const body: RunRequest = { input: "list the files" };
          const accepted = await call<Accepted>(base, key, "/agent/runs", { method: "POST", body: JSON.stringify(body) });
          const started: "running" = accepted.status;
          const run = await call<RunStatus>(base, key, `/agent/runs/${accepted.request_id}`);
          const created: Date = new Date(run.created_at);
          for (const step of run.steps) {
            const sequence: number = step.sequence;
            if (step.type === "tool_completed" && "tool_name" in step.data) {
              const tool: string = step.data.tool_name;
              console.log(sequence, tool);
            }
          }
          const finished: "success" | "error" | "tool_error" | undefined = run.result?.status;
          const took: number | undefined = run.result?.duration_ms;
          const query: AuditQuery = { status: "tool_error", source: "api", sort: "duration_ms", page: 1, page_size: 10, from: created.toISOString() };
          const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
          const page = await call<AuditPage>(base, key, `/audit/requests?${search}`);
          const total: number = page.total_count;
          const first: "running" | "success" | "tool_error" | "error" | undefined = page.items[0]?.status;
          console.log(started, finished, took, first);
          return total + page.items.reduce((sum, item) => sum + item.tool_execution_count, 0);
        }
        """;

    private const string WrongClient = """
        import type { paths } from "./api";

        type AuditQuery = NonNullable<paths["/audit/requests"]["get"]["parameters"]["query"]>;
        type AuditPage = paths["/audit/requests"]["get"]["responses"][200]["content"]["application/json"];

        export const query: AuditQuery = { status: "bogus" };
        export function total(page: AuditPage): string {
          return page.total_count;
        }
        """;

    [Fact]
    public async Task GeneratedTypes_TypeCheckAClientThatStartsReadsAndSearches_AndRejectAWrongOne()
    {
        using var work = new TempDirectory("openapi-ts");
        await using var app = new AgentApplication();
        File.WriteAllText(work.Combine("v1.json"), await app.CreateClient().GetStringAsync("/openapi/v1.json"));
        File.WriteAllText(work.Combine("client.ts"), Client);
        File.WriteAllText(work.Combine("wrong.ts"), WrongClient);

        var generated = await NodeTools.RunAsync(work.Path, "openapi-typescript", "v1.json", "-o", "api.d.ts");
        Assert.True(generated.ExitCode == 0, generated.Output);
        var types = File.ReadAllText(work.Combine("api.d.ts"));
        Assert.DoesNotContain("number | string", types, StringComparison.Ordinal);
        Assert.DoesNotContain("SseItem", types, StringComparison.Ordinal);

        string[] strict = ["--noEmit", "--strict", "--target", "es2022", "--lib", "es2022,dom", "--module", "esnext", "--moduleResolution", "bundler"];
        var good = await NodeTools.RunAsync(work.Path, "tsc", [.. strict, "client.ts"]);
        Assert.True(good.ExitCode == 0, good.Output);

        var wrong = await NodeTools.RunAsync(work.Path, "tsc", [.. strict, "wrong.ts"]);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("\"bogus\"", wrong.Output, StringComparison.Ordinal);
        Assert.Contains("Type 'number' is not assignable to type 'string'", wrong.Output, StringComparison.Ordinal);
    }
}
