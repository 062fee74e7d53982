using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Agent.Core.Auditing.Migrations
{
    /// <inheritdoc />
    public partial class DecisionFinishReason : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "finish_reason",
                table: "decisions",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "finish_reason",
                table: "decisions");
        }
    }
}
