using System.Diagnostics;
using Agent.Bench.Infrastructure;
using Agent.Bench.Reporting;
using Microsoft.Data.Sqlite;

namespace Agent.Bench.Benchmarks;

/// <summary>
/// The raw limit: the five audit rows of a run (request, decision, execution, final decision, completion update) written
/// straight into the product's schema (its migrations and indexes) with prepared statements on one connection,
/// <see cref="RunsPerCommit"/> runs per commit, WAL with the product's default synchronous=FULL. The same text is
/// full-text indexed as the product indexes it, off the per-run path: every <see cref="IndexEvery"/> (the product's
/// indexer delay) the next commit first indexes every row committed since, in one INSERT ... SELECT per index, and moves
/// the high-water mark. No hash chain, no queue, no objects: the fastest this storage can take the same rows and index.
/// Other figures are compared with it.
/// </summary>
public static class RawLimitBenchmark
{
    public const int RunsPerCommit = 64;

    /// <summary>How often the index catches up: as often as the product's indexer does (AuditSearchIndexer's delay).</summary>
    public static readonly TimeSpan IndexEvery = TimeSpan.FromMilliseconds(200);
    private const string Hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static async Task<double> RunAsync(BenchContext context, Report report, TimeSpan duration)
    {
        Console.WriteLine("== 0: raw limit (prepared statements, batched commits, same schema, FTS batched every 200 ms)");
        var directory = context.NewDirectory("raw-limit");
        var path = Path.Combine(directory, "raw.db");
        // The product's own migrations create the schema, so indexes and full-text tables are the same.
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
        writer.Index(); // Every run measured is indexed within the window.
        var perSecond = runs / clock.Elapsed.TotalSeconds;
        var cost = new RunCost(ProcessCpu.MsPerRun(cpu, ProcessCpu.Read(Environment.ProcessId), runs),
            ProcessIo.KiBPerRun(written, ProcessIo.WriteBytesOfThisProcess(), runs));
        Console.WriteLine($"   {perSecond,8:0} runs/s  CPU {cost.CpuMs:0.000} ms, disk {cost.WrittenKiB:0.0} KiB per run");
        report.Add(new ResultRow($"Raw limit: 5 audit rows per run, prepared, {RunsPerCommit} runs per commit", perSecond, "runs/s",
            Note: $"{perSecond * 5:0} rows/s; WAL, synchronous=FULL, FTS5 indexed in one batch every {IndexEvery.TotalMilliseconds:0} ms, no hash chain; CPU {cost.CpuMs:0.000} ms and disk writes {cost.WrittenKiB:0.0} KiB per run"));
        return perSecond;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Prepared statements for a run's five rows and the index's batches; each <see cref="Write"/> is one transaction.</summary>
    private sealed class RawRunWriter : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _request, _decision, _execution, _completion, _indexRequests, _indexExecutions, _mark;
        private readonly Stopwatch _sinceIndexed = Stopwatch.StartNew();
        private long _seq, _indexedSeq, _decisionId, _executionId;

        public RawRunWriter(SqliteConnection connection)
        {
            _connection = connection;
            _request = Prepare("INSERT INTO requests (id, input, status, source, principal, client_ip, created_at, seq, hash) VALUES ($id, $input, 'running', 'api', 'default', '127.0.0.1', $at, $seq, $hash)");
            _decision = Prepare("INSERT INTO decisions (id, request_id, step, reasoning, selected_tools, model, input_tokens, output_tokens, latency_ms, created_at, seq, hash) VALUES ($id, $request, $step, $reasoning, $tools, 'local', NULL, NULL, 0, $at, $seq, $hash)");
            _execution = Prepare("INSERT INTO tool_executions (id, request_id, decision_id, tool_name, input, output, status, error, duration_ms, created_at, seq, hash) VALUES ($id, $request, $decision, 'list_dir', '{\"path\":\".\"}', $output, 'success', NULL, 1, $at, $seq, $hash)");
            _completion = Prepare("UPDATE requests SET status = 'success', output = $output, error = NULL, completed_at = $at, duration_ms = 2, completion_seq = $seq, completion_hash = $hash WHERE id = $id");
            // Runs are complete when committed here, so each row is indexed once, with its final text.
            _indexRequests = Prepare("INSERT INTO requests_fts (rowid, input, output, error) SELECT seq, input, output, error FROM requests WHERE seq > $mark");
            _indexExecutions = Prepare("INSERT INTO tool_executions_fts (rowid, input, output, error) SELECT id, input, output, error FROM tool_executions WHERE seq > $mark");
            _mark = Prepare("UPDATE audit_fts_state SET indexed_seq = $mark");
        }

        private IEnumerable<SqliteCommand> Commands => [_request, _decision, _execution, _completion, _indexRequests, _indexExecutions, _mark];

        /// <summary>Indexes everything committed so far in a transaction of its own.</summary>
        public void Index()
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            Enlist(transaction);
            IndexCommitted();
            transaction.Commit();
        }

        public void Write(int runs)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            Enlist(transaction);
            if (_sinceIndexed.Elapsed >= IndexEvery)
            {
                IndexCommitted();
            }
            for (var i = 0; i < runs; i++)
            {
                var id = Guid.CreateVersion7().ToString();
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
            foreach (var command in Commands)
            {
                command.Dispose();
            }
        }

        private void Enlist(SqliteTransaction transaction)
        {
            foreach (var command in Commands)
            {
                command.Transaction = transaction;
            }
        }

        /// <summary>Every row after the mark into the index, and the mark to the last committed entry.</summary>
        private void IndexCommitted()
        {
            foreach (var command in new[] { _indexRequests, _indexExecutions })
            {
                command.Parameters["$mark"].Value = _indexedSeq;
                command.ExecuteNonQuery();
            }
            _mark.Parameters["$mark"].Value = _indexedSeq = _seq;
            _mark.ExecuteNonQuery();
            _sinceIndexed.Restart();
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
