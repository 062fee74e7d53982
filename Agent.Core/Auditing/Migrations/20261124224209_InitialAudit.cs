using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Agent.Core.Auditing.Migrations
{
    /// <inheritdoc />
    public partial class InitialAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_chain_head",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    seq = table.Column<long>(type: "INTEGER", nullable: false),
                    hash = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_chain_head", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_prunes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    pruned_at = table.Column<string>(type: "TEXT", nullable: false),
                    cutoff = table.Column<string>(type: "TEXT", nullable: false),
                    first_kept_seq = table.Column<long>(type: "INTEGER", nullable: false),
                    first_kept_prev_hash = table.Column<string>(type: "TEXT", nullable: false),
                    deleted_entries = table.Column<long>(type: "INTEGER", nullable: false),
                    seq = table.Column<long>(type: "INTEGER", nullable: false),
                    hash = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_prunes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "requests",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    input = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    output = table.Column<string>(type: "TEXT", nullable: true),
                    error = table.Column<string>(type: "TEXT", nullable: true),
                    source = table.Column<string>(type: "TEXT", nullable: false),
                    principal = table.Column<string>(type: "TEXT", nullable: true),
                    client_ip = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<string>(type: "TEXT", nullable: false),
                    completed_at = table.Column<string>(type: "TEXT", nullable: true),
                    duration_ms = table.Column<long>(type: "INTEGER", nullable: true),
                    seq = table.Column<long>(type: "INTEGER", nullable: false),
                    hash = table.Column<string>(type: "TEXT", nullable: false),
                    completion_seq = table.Column<long>(type: "INTEGER", nullable: true),
                    completion_hash = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_requests", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "security_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    created_at = table.Column<string>(type: "TEXT", nullable: false),
                    client_ip = table.Column<string>(type: "TEXT", nullable: true),
                    method = table.Column<string>(type: "TEXT", nullable: false),
                    route = table.Column<string>(type: "TEXT", nullable: false),
                    status_code = table.Column<int>(type: "INTEGER", nullable: false),
                    reason = table.Column<string>(type: "TEXT", nullable: false),
                    principal = table.Column<string>(type: "TEXT", nullable: true),
                    seq = table.Column<long>(type: "INTEGER", nullable: false),
                    hash = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_security_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "decisions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    request_id = table.Column<string>(type: "TEXT", nullable: false),
                    step = table.Column<int>(type: "INTEGER", nullable: false),
                    reasoning = table.Column<string>(type: "TEXT", nullable: true),
                    selected_tools = table.Column<string>(type: "TEXT", nullable: false),
                    model = table.Column<string>(type: "TEXT", nullable: true),
                    input_tokens = table.Column<int>(type: "INTEGER", nullable: true),
                    output_tokens = table.Column<int>(type: "INTEGER", nullable: true),
                    latency_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<string>(type: "TEXT", nullable: false),
                    seq = table.Column<long>(type: "INTEGER", nullable: false),
                    hash = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_decisions", x => x.id);
                    table.ForeignKey(
                        name: "FK_decisions_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tool_executions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    request_id = table.Column<string>(type: "TEXT", nullable: false),
                    decision_id = table.Column<long>(type: "INTEGER", nullable: true),
                    tool_name = table.Column<string>(type: "TEXT", nullable: false),
                    input = table.Column<string>(type: "TEXT", nullable: true),
                    output = table.Column<string>(type: "TEXT", nullable: true),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    error = table.Column<string>(type: "TEXT", nullable: true),
                    duration_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<string>(type: "TEXT", nullable: false),
                    seq = table.Column<long>(type: "INTEGER", nullable: false),
                    hash = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tool_executions", x => x.id);
                    table.ForeignKey(
                        name: "FK_tool_executions_decisions_decision_id",
                        column: x => x.decision_id,
                        principalTable: "decisions",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "FK_tool_executions_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_prunes_seq",
                table: "audit_prunes",
                column: "seq",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_decisions_request_id_step",
                table: "decisions",
                columns: new[] { "request_id", "step" });

            migrationBuilder.CreateIndex(
                name: "IX_decisions_seq",
                table: "decisions",
                column: "seq",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_requests_completion_seq",
                table: "requests",
                column: "completion_seq",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_requests_created_at",
                table: "requests",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_requests_principal_created_at",
                table: "requests",
                columns: new[] { "principal", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_requests_seq",
                table: "requests",
                column: "seq",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_requests_status_created_at",
                table: "requests",
                columns: new[] { "status", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_security_events_created_at",
                table: "security_events",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_security_events_seq",
                table: "security_events",
                column: "seq",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tool_executions_decision_id",
                table: "tool_executions",
                column: "decision_id");

            migrationBuilder.CreateIndex(
                name: "IX_tool_executions_request_id",
                table: "tool_executions",
                column: "request_id");

            migrationBuilder.CreateIndex(
                name: "IX_tool_executions_seq",
                table: "tool_executions",
                column: "seq",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tool_executions_tool_name_request_id",
                table: "tool_executions",
                columns: new[] { "tool_name", "request_id" });

            // Full-text search (FTS5) over the text of runs and tool executions, as external-content indexes kept in
            // sync by triggers. requests_fts is keyed by requests.seq, a stable integer (a TEXT primary key's implicit
            // rowid may change on VACUUM); tool_executions_fts by the INTEGER PRIMARY KEY id. Updates that only seal a
            // row's hash do not touch the index.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE requests_fts USING fts5(input, output, error, content='requests', content_rowid='seq');
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
                CREATE VIRTUAL TABLE tool_executions_fts USING fts5(input, output, error, content='tool_executions', content_rowid='id');
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
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TABLE IF EXISTS tool_executions_fts;
                DROP TABLE IF EXISTS requests_fts;
                """);

            migrationBuilder.DropTable(
                name: "audit_chain_head");

            migrationBuilder.DropTable(
                name: "audit_prunes");

            migrationBuilder.DropTable(
                name: "security_events");

            migrationBuilder.DropTable(
                name: "tool_executions");

            migrationBuilder.DropTable(
                name: "decisions");

            migrationBuilder.DropTable(
                name: "requests");
        }
    }
}
