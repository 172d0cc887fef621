using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ElderIoT.Records.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Callbacks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CallbackTasks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AlarmId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ElderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    District = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Result = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Notes = table.Column<string>(type: "TEXT", nullable: true),
                    CompletedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CallbackTasks", x => x.Id);
                });

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CallbackTasks");
        }
    }
}
