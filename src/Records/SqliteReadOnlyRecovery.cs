using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ElderIoT.Records;

/// <summary>
/// SQLite opens a database it cannot write (a disk remounted read-only) read-only without a word, and
/// the pool then hands that connection out again long after the disk is writable: an SOS resent after
/// the disk came back failed again. A connection that opened read-only serves its caller (reads still
/// work) and is then dropped instead of pooled. The embedded telemetry store (its own project, no EF)
/// applies the same rule when it opens a connection.
/// </summary>
internal sealed class SqliteReadOnlyRecovery : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => DropIfReadOnly(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        DropIfReadOnly(connection);
        return Task.CompletedTask;
    }

    /// <summary>When the open connection could not get write access, its pool is cleared, so it is closed for good after use.</summary>
    public static void DropIfReadOnly(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } sqlite && SQLitePCL.raw.sqlite3_db_readonly(handle, "main") == 1)
        {
            SqliteConnection.ClearPool(sqlite);
        }
    }
}
