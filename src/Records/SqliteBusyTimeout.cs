using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ElderIoT.Records;

/// <summary>
/// Lets SQLite itself wait for the write lock. Without a busy timeout, SQLite answers a second writer
/// with SQLITE_BUSY at once and Microsoft.Data.Sqlite retries after a fixed 150 ms sleep, so an alarm
/// committing while the device snapshot writer holds the lock for a few milliseconds waited 150 ms or
/// more (profiled under load: the SOS tail came in steps of 150 ms). SQLite's own handler retries after
/// 1, 2, 5, 10… ms, so the wait is about as long as the lock is held.
/// </summary>
internal sealed class SqliteBusyTimeout(TimeSpan timeout) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = Pragma(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = Pragma(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private DbCommand Pragma(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {(int)timeout.TotalMilliseconds};";
        return command;
    }
}
