using System.Diagnostics;
using Agent.Bench.Infrastructure;
using Agent.Bench.Reporting;
using Microsoft.Data.Sqlite;

namespace Agent.Bench.Benchmarks;

/// <summary>
/// The raw limit: the five audit rows of a run (request, decision, execution, final decision, completion update) written
/// straight into the product's schema (its migrations, indexes and FTS5 triggers) with prepared statements on one
/// connection, <see cref="RunsPerCommit"/> runs per commit, WAL with the product's default synchronous=FULL. No hash
/// chain, no queue, no objects: the fastest this storage can take the same rows. Other figures are compared with it.
/// </summary>
public static class RawLimitBenchmark
{
    public const int RunsPerCommit = 64;
    private const string Hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static async Task<double> RunAsync(BenchContext context, Report report, TimeSpan duration)
    {
        Console.WriteLine("== 0: raw limit (prepared statements, batched commits, same schema and FTS)");
        var directory = context.NewDirectory("raw-limit");
        var path = Path.Combine(directory, "raw.db");
        // The product's own migrations create the schema, so indexes and FTS triggers are the same.
        await (await InProcessAudit.OpenAsync(path, context.NewDirectory("raw-limit-workspace"))).DisposeAsync();
        SqliteConnection.ClearAllPools();

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
        using var writer = new RawRunWriter(connection);
        writer.Write(RunsPerCommit); // Warm-up: statements prepared, pages cached.

        long runs = 0;
        var cpu = ProcessCpu.Read(Environment.ProcessId);
        var written = ProcessIo.WriteBytesOfThisProcess();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            writer.Write(RunsPerCommit);
            runs += RunsPerCommit;
        }
        var perSecond = runs / clock.Elapsed.TotalSeconds;
        var cost = new RunCost(ProcessCpu.MsPerRun(cpu, ProcessCpu.Read(Environment.ProcessId), runs),
            ProcessIo.KiBPerRun(written, ProcessIo.WriteBytesOfThisProcess(), runs));
        Console.WriteLine($"   {perSecond,8:0} runs/s  CPU {cost.CpuMs:0.000} ms, disk {cost.WrittenKiB:0.0} KiB per run");
        report.Add(new ResultRow($"Raw limit: 5 audit rows per run, prepared, {RunsPerCommit} runs per commit", perSecond, "runs/s",
            Note: $"{perSecond * 5:0} rows/s; WAL, synchronous=FULL, FTS5 triggers, no hash chain; CPU {cost.CpuMs:0.000} ms and disk writes {cost.WrittenKiB:0.0} KiB per run"));
        return perSecond;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Prepared statements for a run's five rows; each <see cref="Write"/> is one transaction.</summary>
    private sealed class RawRunWriter : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _request, _decision, _execution, _completion;
        private long _seq, _decisionId, _executionId;

        public RawRunWriter(SqliteConnection connection)
        {
            _connection = connection;
            _request = Prepare("INSERT INTO requests (id, input, status, source, principal, client_ip, created_at, seq, hash) VALUES ($id, $input, 'running', 'api', 'default', '127.0.0.1', $at, $seq, $hash)");
            _decision = Prepare("INSERT INTO decisions (id, request_id, step, reasoning, selected_tools, model, input_tokens, output_tokens, latency_ms, created_at, seq, hash) VALUES ($id, $request, $step, $reasoning, $tools, 'local', NULL, NULL, 0, $at, $seq, $hash)");
            _execution = Prepare("INSERT INTO tool_executions (id, request_id, decision_id, tool_name, input, output, status, error, duration_ms, created_at, seq, hash) VALUES ($id, $request, $decision, 'list_dir', '{\"path\":\".\"}', $output, 'success', NULL, 1, $at, $seq, $hash)");
            _completion = Prepare("UPDATE requests SET status = 'success', output = $output, error = NULL, completed_at = $at, duration_ms = 2, completion_seq = $seq, completion_hash = $hash WHERE id = $id");
        }

        public void Write(int runs)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            foreach (var command in new[] { _request, _decision, _execution, _completion })
            {
                command.Transaction = transaction;
            }
            for (var i = 0; i < runs; i++)
            {
                var id = Guid.NewGuid().ToString();
                var at = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
                Run(_request, ("$id", id), ("$input", AgentClient.ListFiles), ("$at", at));
                var plan = ++_decisionId;
                Run(_decision, ("$id", plan), ("$request", id), ("$step", 1), ("$reasoning", DBNull.Value), ("$tools", AuditRows.PlanTools), ("$at", at));
                Run(_execution, ("$id", ++_executionId), ("$request", id), ("$decision", plan), ("$output", AuditRows.ListingOutput), ("$at", at));
                Run(_decision, ("$id", ++_decisionId), ("$request", id), ("$step", 2), ("$reasoning", AuditRows.Answer), ("$tools", "[]"), ("$at", at));
                Run(_completion, ("$id", id), ("$output", AuditRows.Answer), ("$at", at));
            }
            transaction.Commit();
        }

        public void Dispose()
        {
            foreach (var command in new[] { _request, _decision, _execution, _completion })
            {
                command.Dispose();
            }
        }

        private void Run(SqliteCommand command, params (string Name, object Value)[] values)
        {
            foreach (var (name, value) in values)
            {
                command.Parameters[name].Value = value;
            }
            command.Parameters["$seq"].Value = ++_seq;
            command.Parameters["$hash"].Value = Hash;
            command.ExecuteNonQuery();
        }

        private SqliteCommand Prepare(string sql)
        {
            var command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in System.Text.RegularExpressions.Regex.Matches(sql, @"\$[a-z]+").Select(m => m.Value).Distinct())
            {
                command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
            }
            command.Prepare();
            return command;
        }
    }
}
