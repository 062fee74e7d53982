using System.Diagnostics;
using System.Text.Json;

namespace Agent.Bench.Infrastructure;

/// <summary>One wrk run against POST /agent/run with the Lua script; wrk is in C, so it steals less CPU than a .NET client would.</summary>
public static class Wrk
{
    private const string Marker = "WRK_JSON ";

    public static async Task<WrkResult> RunAsync(BenchContext context, Uri baseAddress, int connections, TimeSpan duration)
    {
        var threads = Math.Min(connections, 2);
        var info = new ProcessStartInfo("wrk",
        [
            "-t", threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c", connections.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-d", $"{(int)duration.TotalSeconds}s",
            "--timeout", "10s",
            "-s", context.WrkScript,
            new Uri(baseAddress, "agent/run").ToString(),
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["BENCH_API_KEY"] = BenchContext.ApiKey;
        info.Environment["BENCH_BODY"] = JsonSerializer.Serialize(new { input = AgentClient.ListFiles });

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start wrk; is it installed?");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no summary (exit {process.ExitCode}): {output} {await stderr}");
        var summary = JsonSerializer.Deserialize<WrkSummary>(line[Marker.Length..], WrkSummary.Json)!;
        return new WrkResult(connections, summary);
    }
}

public sealed record WrkSummary(
    long Requests, long DurationUs, long ConnectErrors, long ReadErrors, long WriteErrors,
    long StatusErrors, long Timeouts, long P50Us, long P99Us, long MaxUs)
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}

public sealed record WrkResult(int Connections, WrkSummary Summary)
{
    public long Errors => Summary.ConnectErrors + Summary.ReadErrors + Summary.WriteErrors + Summary.StatusErrors + Summary.Timeouts;
    public double RequestsPerSecond => (Summary.Requests - Summary.StatusErrors) / (Summary.DurationUs / 1_000_000.0);
    public double P50Ms => Summary.P50Us / 1000.0;
    public double P99Ms => Summary.P99Us / 1000.0;
}
