using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Grains.Infrastructure;

internal static class DbUpdateExceptionExtensions
{
    /// <summary>
    /// True when the update broke a unique index. Checked by SQLSTATE / SQLite code so that the
    /// model stays provider-neutral (SQLite 19 = constraint, PostgreSQL 23505 = unique violation).
    /// </summary>
    public static bool IsUniqueViolation(this DbUpdateException exception) =>
        exception.InnerException switch
        {
            Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 19,
            Npgsql.PostgresException postgres => postgres.SqlState == "23505",
            _ => false,
        };
}
