using System.Text.Json;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using Microsoft.Extensions.Options;

namespace ElderIoT.Telemetry.Influx;

/// <summary>The time series in InfluxDB (see <see cref="TelemetrySchema"/>).</summary>
internal sealed class InfluxDbTelemetryStore(InfluxDbClient influx, IInfluxWriter writer, IOptions<TelemetryOptions> options) : ITelemetryStore
{
    /// <summary>Raw fixes read for one track before thinning; a month of one fix a minute fits.</summary>
    private const int MaxTrackPoints = 100_000;

    private readonly SemaphoreSlim _setup = new(1, 1);
    private bool _ready;

    private string? RetentionPolicy => options.Value.InfluxDb.RetentionPolicy;

    public async Task WriteAsync(IReadOnlyList<TelemetryEntry> batch, CancellationToken cancellationToken)
    {
        await EnsureDatabaseAsync(cancellationToken);
        await writer.WriteAsync(TelemetryPoints.From(batch), cancellationToken);
    }

    public async Task<IReadOnlyList<TrackPoint>> GetTrackAsync(Guid elderId, DateTimeOffset from, DateTimeOffset to, int maxPoints, CancellationToken cancellationToken)
    {
        var series = await influx.QueryAsync(
            $"SELECT \"lat\", \"lon\", \"acc\" FROM {InfluxQl.From(RetentionPolicy, TelemetrySchema.Readings)} " +
            $"WHERE {InfluxQl.Identifier(TelemetrySchema.ElderTag)} = {InfluxQl.Literal(elderId.ToString())} AND {InfluxQl.TimeRange(from, to)} " +
            $"ORDER BY time ASC LIMIT {MaxTrackPoints}", cancellationToken);
        var points = Rows(series).Where(r => r.Double("lat") is not null && r.Double("lon") is not null)
            .Select(r => new TrackPoint(r.Time, r.Double("lat")!.Value, r.Double("lon")!.Value, r.Double("acc")));
        return TrackDownsampler.LatestPerSlice(points, from, to, maxPoints);
    }

    public async Task<IReadOnlyList<VitalsBucket>> GetVitalsAsync(Guid elderId, VitalMetric metric, DateTimeOffset from, DateTimeOffset to, TimeSpan interval, TimeZoneInfo timeZone, CancellationToken cancellationToken)
    {
        from = VitalsIntervals.FirstStart(from, interval, timeZone);
        var field = InfluxQl.Identifier(TelemetrySchema.FieldOf(metric));
        var series = await influx.QueryAsync(
            $"SELECT mean({field}) AS \"mean\", min({field}) AS \"min\", max({field}) AS \"max\", count({field}) AS \"count\" " +
            $"FROM {InfluxQl.From(RetentionPolicy, TelemetrySchema.Readings)} " +
            $"WHERE {InfluxQl.Identifier(TelemetrySchema.ElderTag)} = {InfluxQl.Literal(elderId.ToString())} AND {InfluxQl.TimeRange(from, to)} " +
            $"GROUP BY {InfluxQl.AlignedTo(from, interval)} fill(none)", cancellationToken);
        return [.. Rows(series).Select(r => new VitalsBucket(r.Time, r.Double("mean")!.Value, r.Double("min")!.Value, r.Double("max")!.Value, (long)r.Double("count")!.Value))];
    }

    public async Task<IReadOnlyList<StoredReading>> GetReadingsAsync(string deviceId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        var series = await influx.QueryAsync(
            $"SELECT * FROM {InfluxQl.From(RetentionPolicy, TelemetrySchema.Readings)} " +
            $"WHERE {InfluxQl.Identifier(TelemetrySchema.DeviceTag)} = {InfluxQl.Literal(deviceId)} AND {InfluxQl.TimeRange(from, to)} " +
            $"ORDER BY time ASC LIMIT {limit}", cancellationToken);
        return [.. Rows(series).Select(r => new StoredReading(deviceId, new TelemetryReading(
            r.Time,
            r.Double("lat") is { } lat && r.Double("lon") is { } lon ? new GeoPosition(lat, lon, r.Double("acc")) : null,
            r.Int("hr"), r.Int("spo2"), r.Int("sbp"), r.Int("dbp"), r.Int("steps"), r.Int("battery"), r.Bool("worn"))))];
    }

    public async Task<IReadOnlyList<StoredEvent>> GetEventsAsync(Guid elderId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        var series = await influx.QueryAsync(
            $"SELECT * FROM {InfluxQl.From(RetentionPolicy, TelemetrySchema.Events)} " +
            $"WHERE {InfluxQl.Identifier(TelemetrySchema.ElderTag)} = {InfluxQl.Literal(elderId.ToString())} AND {InfluxQl.TimeRange(from, to)} " +
            $"ORDER BY time ASC LIMIT {limit}", cancellationToken);
        return [.. Rows(series).Select(r => new StoredEvent(
            r.String(TelemetrySchema.DeviceTag) ?? "",
            r.String("event_id") ?? "",
            EnumNames.ParseSnakeCase<DeviceEventType>(r.String(TelemetrySchema.TypeTag) ?? ""),
            r.Time,
            r.Double("lat") is { } lat && r.Double("lon") is { } lon ? new GeoPosition(lat, lon, r.Double("acc")) : null,
            Guid.TryParse(r.String("alarm_id"), out var alarm) ? alarm : null))];
    }

    /// <summary>Creates the database and its retention policy once; later calls pass straight through.</summary>
    private async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.InfluxDb;
        // 2.x and 3.x have buckets, made by their operators: there is no CREATE DATABASE to send.
        if (_ready || !settings.CreateDatabase || settings.Version != 1)
        {
            return;
        }

        await _setup.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
            {
                return;
            }

            await influx.QueryAsync($"CREATE DATABASE {InfluxQl.Identifier(settings.Database)}", cancellationToken, write: true);
            if (!string.IsNullOrEmpty(settings.RetentionPolicy))
            {
                var policy = $"{InfluxQl.Identifier(settings.RetentionPolicy)} ON {InfluxQl.Identifier(settings.Database)} " +
                    $"DURATION {(long)options.Value.Retention.TotalHours}h REPLICATION 1 DEFAULT";
                try
                {
                    await influx.QueryAsync($"CREATE RETENTION POLICY {policy}", cancellationToken, write: true);
                }
                catch (InvalidOperationException exception) when (exception.Message.Contains("already exists", StringComparison.Ordinal))
                {
                    await influx.QueryAsync($"ALTER RETENTION POLICY {policy}", cancellationToken, write: true);
                }
            }

            _ready = true;
        }
        finally
        {
            _setup.Release();
        }
    }

    private static IEnumerable<Row> Rows(IReadOnlyList<InfluxSeries> series) =>
        series.SelectMany(s => s.Rows.Select(values => new Row(s, values)));

    private readonly record struct Row(InfluxSeries Series, JsonElement[] Values)
    {
        public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(Values[Series.Column("time")].GetInt64());

        public double? Double(string column) => Value(column) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : null;

        public int? Int(string column) => Double(column) is { } d ? (int)d : null;

        public bool? Bool(string column) => Value(column) is { ValueKind: JsonValueKind.True or JsonValueKind.False } v ? v.GetBoolean() : null;

        public string? String(string column) => Value(column) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

        private JsonElement? Value(string column)
        {
            var index = Series.Column(column);
            return index >= 0 ? Values[index] : null;
        }
    }
}
