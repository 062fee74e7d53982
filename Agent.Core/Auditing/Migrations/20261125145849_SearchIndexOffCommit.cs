using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Agent.Core.Auditing.Migrations
{
    /// <inheritdoc />
    public partial class SearchIndexOffCommit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The full-text index leaves the commit path: no triggers; AuditSearchIndexer indexes committed entries in
            // batches up to a high-water mark kept here. Until now the triggers kept the index in step with every
            // commit, so the mark starts at the chain's head.
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS requests_fts_insert;
                DROP TRIGGER IF EXISTS requests_fts_delete;
                DROP TRIGGER IF EXISTS requests_fts_update;
                DROP TRIGGER IF EXISTS tool_executions_fts_insert;
                DROP TRIGGER IF EXISTS tool_executions_fts_delete;
                DROP TRIGGER IF EXISTS tool_executions_fts_update;
                CREATE TABLE audit_fts_state (
                    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                    indexed_seq INTEGER NOT NULL
                );
                INSERT INTO audit_fts_state (id, indexed_seq) VALUES (1, COALESCE((SELECT seq FROM audit_chain_head WHERE id = 1), 0));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to triggers, with the indexes rebuilt from their tables (the mark may have been behind).
            migrationBuilder.Sql("""
                DROP TABLE IF EXISTS audit_fts_state;
                CREATE TRIGGER requests_fts_insert AFTER INSERT ON requests BEGIN
                    INSERT INTO requests_fts(rowid, input, output, error) VALUES (new.seq, new.input, new.output, new.error);
                END;
                CREATE TRIGGER requests_fts_delete AFTER DELETE ON requests BEGIN
                    INSERT INTO requests_fts(requests_fts, rowid, input, output, error) VALUES ('delete', old.seq, old.input, old.output, old.error);
                END;
                CREATE TRIGGER requests_fts_update AFTER UPDATE OF seq, input, output, error ON requests BEGIN
                    INSERT INTO requests_fts(requests_fts, rowid, input, output, error) VALUES ('delete', old.seq, old.input, old.output, old.error);
                    INSERT INTO requests_fts(rowid, input, output, error) VALUES (new.seq, new.input, new.output, new.error);
                END;
                CREATE TRIGGER tool_executions_fts_insert AFTER INSERT ON tool_executions BEGIN
                    INSERT INTO tool_executions_fts(rowid, input, output, error) VALUES (new.id, new.input, new.output, new.error);
                END;
                CREATE TRIGGER tool_executions_fts_delete AFTER DELETE ON tool_executions BEGIN
                    INSERT INTO tool_executions_fts(tool_executions_fts, rowid, input, output, error) VALUES ('delete', old.id, old.input, old.output, old.error);
                END;
                CREATE TRIGGER tool_executions_fts_update AFTER UPDATE OF id, input, output, error ON tool_executions BEGIN
                    INSERT INTO tool_executions_fts(tool_executions_fts, rowid, input, output, error) VALUES ('delete', old.id, old.input, old.output, old.error);
                    INSERT INTO tool_executions_fts(rowid, input, output, error) VALUES (new.id, new.input, new.output, new.error);
                END;
                INSERT INTO requests_fts(requests_fts) VALUES ('rebuild');
                INSERT INTO tool_executions_fts(tool_executions_fts) VALUES ('rebuild');
                """);
        }
    }
}
