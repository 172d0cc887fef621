using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ElderIoT.Records.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AlarmCoreIncidentSeverity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ClearedSources",
                table: "Alarms",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<int>(
                name: "LadderStartLevel",
                table: "Alarms",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "LadderStartedAt",
                table: "Alarms",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "LastEventAt",
                table: "Alarms",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "Severity",
                table: "Alarms",
                type: "INTEGER",
                nullable: false,
                defaultValue: 3);

            migrationBuilder.AddColumn<string>(
                name: "Sources",
                table: "Alarms",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ClearedSources",
                table: "Alarms");

            migrationBuilder.DropColumn(
                name: "LadderStartLevel",
                table: "Alarms");

            migrationBuilder.DropColumn(
                name: "LadderStartedAt",
                table: "Alarms");

            migrationBuilder.DropColumn(
                name: "LastEventAt",
                table: "Alarms");

            migrationBuilder.DropColumn(
                name: "Severity",
                table: "Alarms");

            migrationBuilder.DropColumn(
                name: "Sources",
                table: "Alarms");
        }
    }
}
