using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ElderIoT.Records.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class RulesCallTreesCallbacksBroadcastsCredentials : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ProviderStatus",
                table: "Notifications",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RespondedAt",
                table: "Notifications",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Sequence",
                table: "Notifications",
                type: "integer",
                nullable: false,
                defaultValue: 0);

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

            migrationBuilder.AddColumn<bool>(
                name: "CareMessages",
                table: "Consents",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CareMessagesOptedOutAt",
                table: "Consents",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "BroadcastMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BroadcastId = table.Column<Guid>(type: "uuid", nullable: false),
                    ElderId = table.Column<Guid>(type: "uuid", nullable: false),
                    Phone = table.Column<string>(type: "text", nullable: false),
                    Language = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ProviderMessageId = table.Column<string>(type: "text", nullable: true),
                    Error = table.Column<string>(type: "text", nullable: true),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BroadcastMessages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Broadcasts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    DistrictPrefix = table.Column<string>(type: "text", nullable: true),
                    MinAge = table.Column<int>(type: "integer", nullable: true),
                    MaxAge = table.Column<int>(type: "integer", nullable: true),
                    CareLevels = table.Column<List<string>>(type: "text[]", nullable: false),
                    Conditions = table.Column<List<string>>(type: "text[]", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Recipients = table.Column<int>(type: "integer", nullable: false),
                    CreatedBy = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Broadcasts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CallbackTasks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AlarmId = table.Column<Guid>(type: "uuid", nullable: false),
                    ElderId = table.Column<Guid>(type: "uuid", nullable: false),
                    District = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Result = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Notes = table.Column<string>(type: "text", nullable: true),
                    CompletedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CallbackTasks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DeviceCredentialChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DeviceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Change = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeviceCredentialChanges", x => x.Id);
                });

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
                name: "IX_Notifications_CreatedAt",
                table: "Notifications",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_Recipient_CreatedAt",
                table: "Notifications",
                columns: new[] { "Recipient", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Devices_SilentSince_LastSeenAt",
                table: "Devices",
                columns: new[] { "SilentSince", "LastSeenAt" });

            migrationBuilder.CreateIndex(
                name: "IX_BroadcastMessages_BroadcastId_Status_Id",
                table: "BroadcastMessages",
                columns: new[] { "BroadcastId", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Broadcasts_Status",
                table: "Broadcasts",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_CallbackTasks_AlarmId",
                table: "CallbackTasks",
                column: "AlarmId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CallbackTasks_District",
                table: "CallbackTasks",
                column: "District");

            migrationBuilder.CreateIndex(
                name: "IX_CallbackTasks_Status_DueAt",
                table: "CallbackTasks",
                columns: new[] { "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_DeviceCredentialChanges_DeviceId",
                table: "DeviceCredentialChanges",
                column: "DeviceId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BroadcastMessages");

            migrationBuilder.DropTable(
                name: "Broadcasts");

            migrationBuilder.DropTable(
                name: "CallbackTasks");

            migrationBuilder.DropTable(
                name: "DeviceCredentialChanges");

            migrationBuilder.DropTable(
                name: "ElderRuleSettings");

            migrationBuilder.DropIndex(
                name: "IX_Notifications_CreatedAt",
                table: "Notifications");

            migrationBuilder.DropIndex(
                name: "IX_Notifications_Recipient_CreatedAt",
                table: "Notifications");

            migrationBuilder.DropIndex(
                name: "IX_Devices_SilentSince_LastSeenAt",
                table: "Devices");

            migrationBuilder.DropColumn(
                name: "ProviderStatus",
                table: "Notifications");

            migrationBuilder.DropColumn(
                name: "RespondedAt",
                table: "Notifications");

            migrationBuilder.DropColumn(
                name: "Sequence",
                table: "Notifications");

            migrationBuilder.DropColumn(
                name: "ReportEverySeconds",
                table: "Devices");

            migrationBuilder.DropColumn(
                name: "SilentSince",
                table: "Devices");

            migrationBuilder.DropColumn(
                name: "CareMessages",
                table: "Consents");

            migrationBuilder.DropColumn(
                name: "CareMessagesOptedOutAt",
                table: "Consents");
        }
    }
}
