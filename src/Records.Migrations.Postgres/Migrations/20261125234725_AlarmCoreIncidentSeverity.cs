using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ElderIoT.Records.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AlarmCoreIncidentSeverity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "ClearedSources",
                table: "Alarms",
                type: "text[]",
                nullable: false);

            migrationBuilder.AddColumn<int>(
                name: "LadderStartLevel",
                table: "Alarms",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LadderStartedAt",
                table: "Alarms",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastEventAt",
                table: "Alarms",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<int>(
                name: "Severity",
                table: "Alarms",
                type: "integer",
                nullable: false,
                defaultValue: 3);

            migrationBuilder.AddColumn<List<string>>(
                name: "Sources",
                table: "Alarms",
                type: "text[]",
                nullable: false);
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
