using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ElderIoT.Records.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class FindingsCareVoiceArrayDefaults : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Channel",
                table: "Broadcasts",
                type: "TEXT",
                maxLength: 8,
                nullable: false,
                defaultValue: "sms");

            migrationBuilder.AddColumn<string>(
                name: "ProviderStatus",
                table: "BroadcastMessages",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Findings",
                table: "Alarms",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.CreateIndex(
                name: "IX_BroadcastMessages_Phone",
                table: "BroadcastMessages",
                column: "Phone");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_BroadcastMessages_Phone",
                table: "BroadcastMessages");

            migrationBuilder.DropColumn(
                name: "Channel",
                table: "Broadcasts");

            migrationBuilder.DropColumn(
                name: "ProviderStatus",
                table: "BroadcastMessages");

            migrationBuilder.DropColumn(
                name: "Findings",
                table: "Alarms");
        }
    }
}
