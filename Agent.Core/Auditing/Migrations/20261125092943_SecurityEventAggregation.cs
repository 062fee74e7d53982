using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Agent.Core.Auditing.Migrations
{
    /// <inheritdoc />
    public partial class SecurityEventAggregation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "count",
                table: "security_events",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "window_end",
                table: "security_events",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "count",
                table: "security_events");

            migrationBuilder.DropColumn(
                name: "window_end",
                table: "security_events");
        }
    }
}
