using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ElderIoT.Records.Migrations.Postgres.Migrations
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
