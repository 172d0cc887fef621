using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ElderIoT.Records.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CareVoiceBroadcastChannel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Channel",
                table: "Broadcasts",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "sms");

            migrationBuilder.AddColumn<string>(
                name: "ProviderStatus",
                table: "BroadcastMessages",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

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
        }
    }
}
