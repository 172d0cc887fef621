using ElderIoT.Contracts.Devices;
using ElderIoT.Telemetry;
using ElderIoT.Telemetry.Embedded;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ElderIoT.Tests.Telemetry;

/// <summary>The embedded store's file from before points had a variant.</summary>
public sealed class EmbeddedTelemetryStoreUpgradeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AFileFromBeforeVariantsKeepsItsPointsAndTakesNewOnes()
    {
        var path = Path.Combine(RepoPaths.TempDirectory("telemetry-old"), "telemetry.db");
        await using (var old = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            await old.OpenAsync();
            await using var create = old.CreateCommand();
            create.CommandText = $$"""
                CREATE TABLE telemetry (device TEXT NOT NULL, elder TEXT NOT NULL, ts INTEGER NOT NULL,
                    lat REAL, lon REAL, acc REAL, hr INTEGER, spo2 INTEGER, sbp INTEGER, dbp INTEGER, steps INTEGER, battery INTEGER, worn INTEGER,
                    PRIMARY KEY (device, ts)) WITHOUT ROWID;
                CREATE INDEX telemetry_elder_ts ON telemetry (elder, ts);
                CREATE TABLE device_event (device TEXT NOT NULL, elder TEXT NOT NULL, type TEXT NOT NULL, ts INTEGER NOT NULL,
                    event_id TEXT NOT NULL, alarm_id TEXT, lat REAL, lon REAL, acc REAL, PRIMARY KEY (device, type, ts)) WITHOUT ROWID;
                CREATE INDEX device_event_elder_ts ON device_event (elder, ts);
                INSERT INTO telemetry (device, elder, ts, hr) VALUES ('old', 'e', {{T0.ToUnixTimeMilliseconds()}}, 66);
                """;
            await create.ExecuteNonQueryAsync();
        }

        var store = new EmbeddedTelemetryStore(path, Options.Create(new TelemetryOptions()), TimeProvider.System);
        await store.WriteAsync([new ReadingEntry(Guid.NewGuid(), "old", new TelemetryReading(T0, null, 99, null, null, null, null, null, null))], CancellationToken.None);

        var readings = await store.GetReadingsAsync("old", T0, T0.AddSeconds(1), 10, CancellationToken.None);
        Assert.Equal([66, 99], readings.Select(r => r.Reading.HeartRate!.Value).Order());
    }
}
