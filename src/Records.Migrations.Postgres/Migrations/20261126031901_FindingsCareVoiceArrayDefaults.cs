using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ElderIoT.Records.Migrations.Postgres.Migrations
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

            migrationBuilder.AlterColumn<List<string>>(
                name: "Sources",
                table: "Alarms",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'",
                oldClrType: typeof(List<string>),
                oldType: "text[]");

            migrationBuilder.AlterColumn<List<string>>(
                name: "ClearedSources",
                table: "Alarms",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'",
                oldClrType: typeof(List<string>),
                oldType: "text[]");

            migrationBuilder.AddColumn<List<string>>(
                name: "Findings",
                table: "Alarms",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'");

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

            migrationBuilder.AlterColumn<List<string>>(
                name: "Sources",
                table: "Alarms",
                type: "text[]",
                nullable: false,
                oldClrType: typeof(List<string>),
                oldType: "text[]",
                oldDefaultValueSql: "'{}'");

            migrationBuilder.AlterColumn<List<string>>(
                name: "ClearedSources",
                table: "Alarms",
                type: "text[]",
                nullable: false,
                oldClrType: typeof(List<string>),
                oldType: "text[]",
                oldDefaultValueSql: "'{}'");
        }
    }
}
