using Agent.Core.Auditing;
using Agent.Tests.Infrastructure;
using Agent.Web.Components.Audit;
using Agent.Web.Components.Pages;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Agent.Tests.Console;

public sealed class AuditPageTests : ConsoleTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly RecordingAuditSearch _search = new(
        (new RunSummary("run-a", "list the files", "success", "api", "ops", Now, 12, 1), ["list_dir"]),
        (new RunSummary("run-b", "read secrets", "tool_error", "console", "alice", Now.AddMinutes(-1), 5, 1), ["read_file"]));

    public AuditPageTests()
    {
        Services.AddSingleton<IAuditSearch>(_search);
        Services.AddSingleton<Agent.Web.Runs.RunEventBroker>();
    }

    [Fact]
    public async Task AuditLog_FirstLoad_AsksForNewestFirstPage()
    {
        await InitializeDatabaseAsync();

        var page = Render<AuditLog>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=audit-grid] tbody tr").Count));
        var query = _search.Queries[^1];
        Assert.Equal(1, query.Page);
        Assert.Equal(25, query.PageSize);
        Assert.Equal(AuditSortField.CreatedAt, query.SortBy);
        Assert.True(query.Descending);
        Assert.Null(query.Status);
        Assert.Null(query.ToolName);
    }

    [Fact]
    public async Task AuditLog_FilterByToolAndStatus_QueriesWithThoseArguments()
    {
        await InitializeDatabaseAsync();
        var page = Render<AuditLog>();
        page.WaitForAssertion(() => Assert.NotEmpty(_search.Queries));

        await page.InvokeAsync(() => page.Instance.OnToolChanged("read_file"));
        await page.InvokeAsync(() => page.Instance.OnStatusChanged("tool_error"));
        await page.InvokeAsync(() => page.Instance.OnTextChanged("  secrets "));

        page.WaitForAssertion(() =>
        {
            var query = _search.Queries[^1];
            Assert.Equal("read_file", query.ToolName);
            Assert.Equal("tool_error", query.Status);
            Assert.Equal("secrets", query.Text);
            var rows = page.FindAll("[data-testid=audit-grid] tbody tr");
            Assert.Single(rows);
            Assert.Contains("read secrets", rows[0].TextContent);
        });
        Assert.Contains("tool_name=read_file", page.Find("[data-testid=export-csv]").GetAttribute("href"));
    }

    [Fact]
    public void AuditFilter_DateRange_CoversWholeDaysInUtc()
    {
        var filter = new AuditFilter { Dates = new DateRange(new DateTime(2026, 3, 1), new DateTime(2026, 3, 2)), Source = "console" };

        var query = filter.ToQuery(page: 2, pageSize: 50, sortBy: nameof(RunSummary.DurationMs), descending: false);

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), query.From);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999), query.To);
        Assert.Equal("console", query.Source);
        Assert.Equal(3, query.Page);
        Assert.Equal(AuditSortField.DurationMs, query.SortBy);
        Assert.False(query.Descending);
        Assert.StartsWith("console/export?format=csv&source=console&from=2026-03-01", filter.ExportUrl());
    }
}
