using Agent.Core.Auditing;
using Agent.Tests.Infrastructure;
using Agent.Web.Components.Audit;
using Agent.Web.Components.Pages;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

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
    public void AuditFilter_CustomTimeRange_QueriesThoseInstantsInUtc()
    {
        var filter = new AuditFilter { From = new DateTime(2026, 3, 1, 8, 30, 0), To = new DateTime(2026, 3, 2, 17, 0, 0), Source = "console", Page = 3, PageSize = 50, SortBy = nameof(RunSummary.DurationMs), Descending = false };

        var query = filter.ToQuery(Now);

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 8, 30, 0, TimeSpan.Zero), query.From);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 17, 0, 0, TimeSpan.Zero), query.To);
        Assert.Equal("console", query.Source);
        Assert.Equal(3, query.Page);
        Assert.Equal(AuditSortField.DurationMs, query.SortBy);
        Assert.False(query.Descending);
        Assert.StartsWith("console/export?format=csv&source=console&from=2026-03-01T08%3A30%3A00.0000000%2B00%3A00&to=", filter.ExportUrl(Now));
    }

    [Fact]
    public void AuditFilter_PresetRange_IsRelativeToNowAndSurvivesTheQueryString()
    {
        var filter = new AuditFilter { Range = "24h", Status = "error", ToolName = "read_file", Text = "a b&c", Page = 2, PageSize = 10, SortBy = nameof(RunSummary.Status), Descending = false };

        var url = filter.ToQueryString();
        var back = AuditFilter.FromQueryString(url);

        Assert.Equal("?status=error&tool_name=read_file&q=a%20b%26c&range=24h&sort=status&desc=false&page=2&page_size=10", url);
        Assert.Equal(filter, back);
        Assert.Equal(Now.AddHours(-24), back.ToQuery(Now).From);
        Assert.Null(back.ToQuery(Now).To);
    }

    [Theory]
    [InlineData("?page=-4&page_size=100000&sort=__proto__&range=forever&from=yesterday")]
    [InlineData("?page=abc&desc=maybe")]
    public void AuditFilter_HostileQueryString_FallsBackToDefaults(string query)
    {
        var filter = AuditFilter.FromQueryString(query);

        Assert.Equal(new AuditFilter(), filter with { Descending = true });
        Assert.Equal("", filter.ToQueryString());
    }

    [Fact]
    public async Task AuditLog_OpenedFromLink_AppliesFilterAndPageFromTheUrl()
    {
        await InitializeDatabaseAsync();
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("/audit?tool_name=read_file&status=tool_error&page_size=10");

        var page = Render<AuditLog>();

        page.WaitForAssertion(() =>
        {
            var query = _search.Queries[^1];
            Assert.Equal("read_file", query.ToolName);
            Assert.Equal("tool_error", query.Status);
            Assert.Equal(10, query.PageSize);
            Assert.Single(page.FindAll("[data-testid=audit-grid] tbody tr"));
        });
    }
}
