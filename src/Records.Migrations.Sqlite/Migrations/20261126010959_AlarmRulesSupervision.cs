using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ElderIoT.Records.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AlarmRulesSupervision : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ReportEverySeconds",
                table: "Devices",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SilentSince",
                table: "Devices",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ElderRuleSettings",
                columns: table => new
                {
                    ElderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HeartRateHigh = table.Column<int>(type: "INTEGER", nullable: true),
                    HeartRateLow = table.Column<int>(type: "INTEGER", nullable: true),
                    SpO2Low = table.Column<int>(type: "INTEGER", nullable: true),
                    SystolicHigh = table.Column<int>(type: "INTEGER", nullable: true),
                    SystolicLow = table.Column<int>(type: "INTEGER", nullable: true),
                    SustainReadings = table.Column<int>(type: "INTEGER", nullable: true),
                    SustainSeconds = table.Column<int>(type: "INTEGER", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ElderRuleSettings", x => x.ElderId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Devices_SilentSince_LastSeenAt",
                table: "Devices",
                columns: new[] { "SilentSince", "LastSeenAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ElderRuleSettings");

            migrationBuilder.DropIndex(
                name: "IX_Devices_SilentSince_LastSeenAt",
                table: "Devices");

            migrationBuilder.DropColumn(
                name: "ReportEverySeconds",
                table: "Devices");

            migrationBuilder.DropColumn(
                name: "SilentSince",
                table: "Devices");
        }
    }
}
