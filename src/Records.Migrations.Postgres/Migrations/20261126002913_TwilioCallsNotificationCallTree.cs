using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ElderIoT.Records.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class TwilioCallsNotificationCallTree : Migration
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

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_CreatedAt",
                table: "Notifications",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_Recipient_CreatedAt",
                table: "Notifications",
                columns: new[] { "Recipient", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Notifications_CreatedAt",
                table: "Notifications");

            migrationBuilder.DropIndex(
                name: "IX_Notifications_Recipient_CreatedAt",
                table: "Notifications");

            migrationBuilder.DropColumn(
                name: "ProviderStatus",
                table: "Notifications");

            migrationBuilder.DropColumn(
                name: "RespondedAt",
                table: "Notifications");

            migrationBuilder.DropColumn(
                name: "Sequence",
                table: "Notifications");
        }
    }
}
