using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ElderIoT.Records.Migrations.Postgres.Migrations
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
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "SilentSince",
                table: "Devices",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ElderRuleSettings",
                columns: table => new
                {
                    ElderId = table.Column<Guid>(type: "uuid", nullable: false),
                    HeartRateHigh = table.Column<int>(type: "integer", nullable: true),
                    HeartRateLow = table.Column<int>(type: "integer", nullable: true),
                    SpO2Low = table.Column<int>(type: "integer", nullable: true),
                    SystolicHigh = table.Column<int>(type: "integer", nullable: true),
                    SystolicLow = table.Column<int>(type: "integer", nullable: true),
                    SustainReadings = table.Column<int>(type: "integer", nullable: true),
                    SustainSeconds = table.Column<int>(type: "integer", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
