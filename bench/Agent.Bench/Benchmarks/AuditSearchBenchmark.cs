using Agent.Bench.AuditSearch;
using Agent.Bench.Infrastructure;
using Agent.Bench.Reporting;
using Microsoft.Data.Sqlite;

namespace Agent.Bench.Benchmarks;

/// <summary>
/// Figure 3: filtered first-page audit searches over a seeded history (default 250,000 runs × 4 = 1,000,000 tool
/// executions) through the product's query path, next to the same filter as direct SQL.
/// </summary>
public static class AuditSearchBenchmark
{
    private const int Repetitions = 25;
    private static readonly TimeSpan BudgetPerCase = TimeSpan.FromSeconds(8);

    public static async Task RunAsync(BenchContext context, Report report, int requests)
    {
        Console.WriteLine($"== 3: audit search over {requests * 4:N0} tool executions");
        var directory = context.NewDirectory("audit-search");
        var workspace = context.NewDirectory("audit-search-workspace");
        var databasePath = Path.Combine(directory, "agent.db");
        await using (await InProcessAudit.OpenAsync(databasePath, workspace))
        {
            // Migrated by the product's own migrations; the seeder fills whatever schema they produced.
        }
        SqliteConnection.ClearAllPools();

        var plan = new SeedPlan(requests, 4, DateTimeOffset.UtcNow);
        var seedTime = AuditSeeder.Seed(databasePath, plan);
        var size = new FileInfo(databasePath).Length / 1024.0 / 1024.0;
        Console.WriteLine($"   seeded {plan.Requests:N0} runs, {plan.Requests:N0} decisions, {plan.Executions:N0} executions in {seedTime.TotalSeconds:0.0} s ({size:0} MiB)");
        report.Note($"Audit search history: {plan.Requests:N0} requests, {plan.Requests:N0} decisions, {plan.Executions:N0} tool executions over {SeedPlan.Span.TotalDays:0} days, {size:0} MiB, seeded in {seedTime.TotalSeconds:0.0} s.");

        await using var server = await context.StartServerAsync(context.AgentDll, context.AgentEnvironment(workspace, databasePath), "agent-search.log");
        await using IAuditSearchPath product = await HttpAuditSearch.TryCreateAsync(server.BaseAddress) is { } http
            ? http
            : new LatestRunsSearch(await InProcessAudit.OpenAsync(databasePath, workspace));
        var hasFullText = RawSearch.HasFullText(databasePath);
        using var raw = new RawSearch(databasePath);
        Console.WriteLine($"   product path: {product.Description}; full-text index: {(hasFullText ? "FTS5" : "none")}");
        if (!product.Filters)
        {
            report.Note("GET /audit/requests is not in this build: the product path is AuditQueries.LatestAsync (latest 50, no filters), so its timings are not the filtered queries.");
        }
        if (!hasFullText)
        {
            report.Note("No FTS5 index in this build: the SQL baseline's text search is a LIKE scan over requests.");
        }

        foreach (var search in SearchCase.For(plan, hasFullText))
        {
            var rows = raw.Run(search);
            var productTimes = await Repeat.TimeAsync(() => product.RunAsync(search, CancellationToken.None), Repetitions, BudgetPerCase);
            var rawTimes = await Repeat.TimeAsync(() => Task.FromResult(raw.Run(search)), Repetitions, BudgetPerCase);
            report.Add(new ResultRow($"Audit search {search.Name}: median", productTimes.Median, "ms", rawTimes.Median, "direct SQL",
                product.Filters ? "< 50 ms" : "n/a: no filter API", product.Filters ? productTimes.Median < 50 : null,
                $"p95 {productTimes.P95:0.0} ms vs SQL {rawTimes.P95:0.0} ms; {rows} rows on page 1; n={productTimes.Count}"));
        }
    }
}
