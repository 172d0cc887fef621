using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ElderIoT.Records.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AlarmEngineAndAccess : Migration
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

            migrationBuilder.CreateTable(
                name: "Audit",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ElderId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    AlarmId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Audit", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Consents",
                columns: table => new
                {
                    ElderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ShareLocationWithFamily = table.Column<bool>(type: "INTEGER", nullable: false),
                    ShareHealthWithFamily = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Consents", x => x.ElderId);
                });

            migrationBuilder.CreateTable(
                name: "Users",
                columns: table => new
                {
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PasswordHash = table.Column<string>(type: "TEXT", nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Districts = table.Column<string>(type: "TEXT", nullable: false),
                    SeatId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ElderId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Disabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Users", x => x.UserName);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Audit_At",
                table: "Audit",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_Audit_ElderId_At",
                table: "Audit",
                columns: new[] { "ElderId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Audit_UserName_At",
                table: "Audit",
                columns: new[] { "UserName", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Users_SeatId",
                table: "Users",
                column: "SeatId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Audit");

            migrationBuilder.DropTable(
                name: "Consents");

            migrationBuilder.DropTable(
                name: "Users");

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
