using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using ElderIoT.Telemetry;
using ElderIoT.Telemetry.Influx;
using ElderIoT.Tests.Infrastructure;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;
using Microsoft.Extensions.Options;

namespace ElderIoT.Tests.Telemetry;

/// <summary>
/// ElderIoT's points as InfluxDB.Client builds them (its <see cref="PointData"/> does the escaping
/// now), checked as text for what is ours (types, the variant in the nanoseconds) and then against a
/// real influxd for what must survive the trip (hostile names and values).
/// </summary>
public sealed class LineProtocolTests(InfluxServer influx) : IClassFixture<InfluxServer>
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1764039540123);

    [Fact]
    public void AReadingIsOnePointWithIntegerVitalsAndItsVariantAsTheNanosecondsWithinItsMillisecond()
    {
        var reading = new ReadingEntry(Guid.Parse("11111111-2222-3333-4444-555555555555"), "watch 1,a=b",
            new TelemetryReading(At, new GeoPosition(32.06, 118.79, 12), 72, null, null, null, null, 80, true));

        var line = Assert.Single(TelemetryPoints.From([reading])).ToLineProtocol();

        var variant = TelemetryVariant.Of(reading);
        Assert.StartsWith("telemetry,device=watch\\ 1\\,a\\=b,elder=11111111-2222-3333-4444-555555555555 ", line, StringComparison.Ordinal);
        Assert.EndsWith($" {1764039540123L * 1_000_000 + variant}", line, StringComparison.Ordinal);
        var fields = line.Split(' ')[2].Split(',');
        Assert.Equal(["acc=12", "battery=80i", "hr=72i", "lat=32.06", "lon=118.79", "n=1i", "worn=true"], fields.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AnEventWithoutPositionOrAlarmLeavesThoseFieldsOut()
    {
        var entry = new EventEntry(Guid.NewGuid(), "w", new DeviceEvent("w", "e \"1\"", DeviceEventType.Sos, At, null), AlarmId: null);

        var line = Assert.Single(TelemetryPoints.From([entry])).ToLineProtocol();

        Assert.Contains(" event_id=\"e \\\"1\\\"\" ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("alarm_id", line, StringComparison.Ordinal);
        Assert.DoesNotContain("lat=", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostileNamesAndValuesRoundTripThroughARealInfluxd()
    {
        var client = Client();
        await client.QueryAsync("CREATE DATABASE \"escaping\"", CancellationToken.None, write: true);
        const string measurement = "weird, measure=ment";
        const string tagValue = "老人 \"A\", b=c \\ d";
        const string text = "quote \" backslash \\ comma , equals = 中文 🚑";

        await new InfluxV1Writer(client).WriteAsync([PointData.Measurement(measurement).Tag("tag key, =", tagValue)
            .Field("text field", text).Field("count", 7L).Field("ratio", -0.25).Field("ok", false)
            .Timestamp(TelemetryPoints.Nanoseconds(At, 0), WritePrecision.Ns)], CancellationToken.None);

        var series = Assert.Single(await client.QueryAsync(
            $"SELECT * FROM {InfluxQl.Identifier(measurement)} WHERE {InfluxQl.Identifier("tag key, =")} = {InfluxQl.Literal(tagValue)}", CancellationToken.None));
        var row = Assert.Single(series.Rows);
        Assert.Equal(measurement, series.Name);
        Assert.Equal(At.ToUnixTimeMilliseconds(), row[series.Column("time")].GetInt64());
        Assert.Equal(text, row[series.Column("text field")].GetString());
        Assert.Equal(7, row[series.Column("count")].GetInt64());
        Assert.Equal(-0.25, row[series.Column("ratio")].GetDouble());
        Assert.False(row[series.Column("ok")].GetBoolean());
        Assert.Equal(tagValue, row[series.Column("tag key, =")].GetString());
    }

    [Fact]
    public async Task AnIntegerWrittenAfterAFloatInTheSameFieldIsRefusedAsMalformed()
    {
        var client = Client();
        var writer = new InfluxV1Writer(client);
        await client.QueryAsync("CREATE DATABASE \"escaping\"", CancellationToken.None, write: true);
        await writer.WriteAsync([PointData.Measurement("types").Field("v", 1.5).Timestamp(TelemetryPoints.Nanoseconds(At, 0), WritePrecision.Ns)], CancellationToken.None);

        await Assert.ThrowsAsync<TelemetryRejectedException>(() =>
            writer.WriteAsync([PointData.Measurement("types").Field("v", 2L).Timestamp(TelemetryPoints.Nanoseconds(At.AddSeconds(1), 0), WritePrecision.Ns)], CancellationToken.None));
    }

    private InfluxDbClient Client() => new(new SingleClientFactory(), Options.Create(new TelemetryOptions
    {
        InfluxDb = new InfluxDbOptions { Url = influx.Url, Database = "escaping", RetentionPolicy = null },
    }));
}
