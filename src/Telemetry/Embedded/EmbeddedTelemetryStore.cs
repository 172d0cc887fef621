using ElderIoT.Hosting;
using System.Globalization;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using ElderIoT.Telemetry.Influx;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ElderIoT.Telemetry.Embedded;

/// <summary>
/// The time series in a SQLite file of their own (<c>telemetry.db</c> beside the records), so that a
/// node runs with no server. Same schema as InfluxDB, one table per measurement. A point's key is its
/// device, millisecond and <see cref="TelemetryVariant"/>, as in InfluxDB: a replayed batch is stored
/// once (the second insert is ignored), and a different reading at the same millisecond is kept
/// beside the first, never in its place.
/// </summary>
internal sealed class EmbeddedTelemetryStore : ITelemetryStore
{
    private readonly string _connectionString;
    private readonly TelemetryOptions _options;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _setup = new(1, 1);
    private bool _ready;
    private DateTimeOffset _nextRetentionSweep;

    public EmbeddedTelemetryStore(string databasePath, IOptions<TelemetryOptions> options, TimeProvider clock)
    {
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        PrivateFiles.PrepareDatabaseFile(databasePath);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true }.ToString();
        _options = options.Value;
        _clock = clock;
    }

    public async Task WriteAsync(IReadOnlyList<TelemetryEntry> batch, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await WriteAsync(connection, batch, cancellationToken);
    }

    private async Task WriteAsync(SqliteConnection connection, IReadOnlyList<TelemetryEntry> batch, CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var reading = connection.CreateCommand();
        reading.Transaction = transaction;
        reading.CommandText = """
            INSERT OR IGNORE INTO telemetry (device, elder, ts, variant, lat, lon, acc, hr, spo2, sbp, dbp, steps, battery, worn)
            VALUES ($device, $elder, $ts, $variant, $lat, $lon, $acc, $hr, $spo2, $sbp, $dbp, $steps, $battery, $worn)
            """;
        var deviceEvent = connection.CreateCommand();
        deviceEvent.Transaction = transaction;
        deviceEvent.CommandText = """
            INSERT OR IGNORE INTO device_event (device, elder, type, ts, variant, event_id, alarm_id, lat, lon, acc)
            VALUES ($device, $elder, $type, $ts, $variant, $event_id, $alarm_id, $lat, $lon, $acc)
            """;
        foreach (var entry in batch)
        {
            var command = entry is ReadingEntry ? reading : deviceEvent;
            command.Parameters.Clear();
            Add(command, "$device", entry.DeviceId);
            Add(command, "$elder", entry.ElderId.ToString());
            Add(command, "$ts", entry.Timestamp.ToUnixTimeMilliseconds());
            Add(command, "$variant", TelemetryVariant.Of(entry));
            switch (entry)
            {
                case ReadingEntry { Reading: var r }:
                    AddPosition(command, r.Position);
                    Add(command, "$hr", r.HeartRate);
                    Add(command, "$spo2", r.SpO2);
                    Add(command, "$sbp", r.Systolic);
                    Add(command, "$dbp", r.Diastolic);
                    Add(command, "$steps", r.Steps);
                    Add(command, "$battery", r.Battery);
                    Add(command, "$worn", r.Worn);
                    break;
                case EventEntry { Event: var e } ev:
                    Add(command, "$type", e.Type.ToSnakeCase());
                    Add(command, "$event_id", e.EventId);
                    Add(command, "$alarm_id", ev.AlarmId?.ToString());
                    AddPosition(command, e.Position);
                    break;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        await SweepRetentionAsync(connection, cancellationToken);
    }

    public async Task<IReadOnlyList<TrackPoint>> GetTrackAsync(Guid elderId, DateTimeOffset from, DateTimeOffset to, int maxPoints, CancellationToken cancellationToken)
    {
        var points = await QueryAsync(
            "SELECT ts, lat, lon, acc FROM telemetry WHERE elder = $elder AND ts >= $from AND ts < $to AND lat IS NOT NULL AND lon IS NOT NULL ORDER BY ts, variant",
            c => Bind(c, elderId.ToString(), from, to),
            r => new TrackPoint(Time(r, 0), r.GetDouble(1), r.GetDouble(2), r.IsDBNull(3) ? null : r.GetDouble(3)),
            cancellationToken);
        return TrackDownsampler.LatestPerSlice(points, from, to, maxPoints);
    }

    public Task<IReadOnlyList<VitalsBucket>> GetVitalsAsync(Guid elderId, VitalMetric metric, DateTimeOffset from, DateTimeOffset to, TimeSpan interval, TimeZoneInfo timeZone, CancellationToken cancellationToken)
    {
        from = VitalsIntervals.FirstStart(from, interval, timeZone);
        var field = TelemetrySchema.FieldOf(metric); // a fixed column name from the schema, never user text
        var intervalMs = (long)interval.TotalMilliseconds;
        return QueryAsync(
            $"""
            SELECT ($from + (ts - $from) / $interval * $interval) AS bucket, avg({field}), min({field}), max({field}), count({field})
            FROM telemetry WHERE elder = $elder AND ts >= $from AND ts < $to AND {field} IS NOT NULL
            GROUP BY bucket ORDER BY bucket
            """,
            c =>
            {
                Bind(c, elderId.ToString(), from, to);
                c.Parameters.AddWithValue("$interval", intervalMs);
            },
            r => new VitalsBucket(Time(r, 0), r.GetDouble(1), r.GetDouble(2), r.GetDouble(3), r.GetInt64(4)),
            cancellationToken);
    }

    public Task<IReadOnlyList<StoredReading>> GetReadingsAsync(string deviceId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT ts, lat, lon, acc, hr, spo2, sbp, dbp, steps, battery, worn FROM telemetry WHERE device = $device AND ts >= $from AND ts < $to ORDER BY ts, variant LIMIT $limit",
            c =>
            {
                c.Parameters.AddWithValue("$device", deviceId);
                c.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
                c.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
                c.Parameters.AddWithValue("$limit", limit);
            },
            r => new StoredReading(deviceId, new TelemetryReading(
                Time(r, 0),
                r.IsDBNull(1) || r.IsDBNull(2) ? null : new GeoPosition(r.GetDouble(1), r.GetDouble(2), r.IsDBNull(3) ? null : r.GetDouble(3)),
                Int(r, 4), Int(r, 5), Int(r, 6), Int(r, 7), Int(r, 8), Int(r, 9), r.IsDBNull(10) ? null : r.GetBoolean(10))),
            cancellationToken);

    public Task<IReadOnlyList<StoredEvent>> GetEventsAsync(Guid elderId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT device, event_id, type, ts, lat, lon, acc, alarm_id FROM device_event WHERE elder = $elder AND ts >= $from AND ts < $to ORDER BY ts, variant LIMIT $limit",
            c =>
            {
                Bind(c, elderId.ToString(), from, to);
                c.Parameters.AddWithValue("$limit", limit);
            },
            r => new StoredEvent(
                r.GetString(0), r.GetString(1), EnumNames.ParseSnakeCase<DeviceEventType>(r.GetString(2)), Time(r, 3),
                r.IsDBNull(4) || r.IsDBNull(5) ? null : new GeoPosition(r.GetDouble(4), r.GetDouble(5), r.IsDBNull(6) ? null : r.GetDouble(6)),
                r.IsDBNull(7) ? null : Guid.Parse(r.GetString(7))),
            cancellationToken);

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // Opened while the disk was read-only: used once, never pooled (the records follow the same rule).
        if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
        {
            SqliteConnection.ClearPool(connection);
        }

        if (!_ready)
        {
            await _setup.WaitAsync(cancellationToken);
            try
            {
                if (!_ready)
                {
                    await using var create = connection.CreateCommand();
                    create.CommandText = "PRAGMA journal_mode=WAL;";
                    await create.ExecuteNonQueryAsync(cancellationToken);
                    await CreateOrUpgradeSchemaAsync(connection, cancellationToken);
                    _ready = true;
                }
            }
            finally
            {
                _setup.Release();
            }
        }

        return connection;
    }

    /// <summary>
    /// Creates the tables, or upgrades a file from before points had a variant (keyed on device and
    /// time, so a second reading replaced the first): its points are kept, with variant 0.
    /// </summary>
    private static async Task CreateOrUpgradeSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('telemetry', 'device_event') " +
            "AND NOT EXISTS (SELECT 1 FROM pragma_table_info(name) WHERE name = 'variant')";
        var old = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                old.Add(reader.GetString(0));
            }
        }

        var sql = new System.Text.StringBuilder();
        foreach (var table in old)
        {
            // Fixed table names from the query above, never user text.
            sql.Append(CultureInfo.InvariantCulture, $"DROP INDEX IF EXISTS {table}_elder_ts; ALTER TABLE {table} RENAME TO {table}_unvaried;");
        }

        sql.Append("""
            CREATE TABLE IF NOT EXISTS telemetry (
                device TEXT NOT NULL, elder TEXT NOT NULL, ts INTEGER NOT NULL, variant INTEGER NOT NULL,
                lat REAL, lon REAL, acc REAL, hr INTEGER, spo2 INTEGER, sbp INTEGER, dbp INTEGER,
                steps INTEGER, battery INTEGER, worn INTEGER,
                PRIMARY KEY (device, ts, variant)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS telemetry_elder_ts ON telemetry (elder, ts);
            CREATE TABLE IF NOT EXISTS device_event (
                device TEXT NOT NULL, elder TEXT NOT NULL, type TEXT NOT NULL, ts INTEGER NOT NULL, variant INTEGER NOT NULL,
                event_id TEXT NOT NULL, alarm_id TEXT, lat REAL, lon REAL, acc REAL,
                PRIMARY KEY (device, type, ts, variant)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS device_event_elder_ts ON device_event (elder, ts);
            """);
        if (old.Contains("telemetry"))
        {
            sql.Append("INSERT INTO telemetry SELECT device, elder, ts, 0, lat, lon, acc, hr, spo2, sbp, dbp, steps, battery, worn FROM telemetry_unvaried; DROP TABLE telemetry_unvaried;");
        }

        if (old.Contains("device_event"))
        {
            sql.Append("INSERT INTO device_event SELECT device, elder, type, ts, 0, event_id, alarm_id, lat, lon, acc FROM device_event_unvaried; DROP TABLE device_event_unvaried;");
        }

        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task SweepRetentionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        if (now < _nextRetentionSweep)
        {
            return;
        }

        _nextRetentionSweep = now.AddHours(1);
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM telemetry WHERE ts < $cutoff; DELETE FROM device_event WHERE ts < $cutoff;";
        delete.Parameters.AddWithValue("$cutoff", (now - _options.Retention).ToUnixTimeMilliseconds());
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Bind(SqliteCommand command, string elder, DateTimeOffset from, DateTimeOffset to)
    {
        command.Parameters.AddWithValue("$elder", elder);
        command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
    }

    private static void AddPosition(SqliteCommand command, GeoPosition? position)
    {
        Add(command, "$lat", position?.Lat);
        Add(command, "$lon", position?.Lon);
        Add(command, "$acc", position?.Accuracy);
    }

    private static void Add(SqliteCommand command, string name, object? value) =>
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);

    private static DateTimeOffset Time(SqliteDataReader reader, int column) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(column));

    private static int? Int(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt32(column);
}
