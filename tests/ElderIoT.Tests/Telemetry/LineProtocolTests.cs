using ElderIoT.Contracts.Devices;
using ElderIoT.Telemetry;
using ElderIoT.Telemetry.Influx;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ElderIoT.Tests.Telemetry;

/// <summary>Line protocol escaping, checked as text and then against a real influxd.</summary>
public sealed class LineProtocolTests(InfluxServer influx) : IClassFixture<InfluxServer>
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1764039540123);

    [Fact]
    public void EachKindOfNameIsEscapedByItsOwnRules()
    {
        var line = new LineProtocol()
            .Measurement("my measure,ment=1")
            .Tag("tag key,=", "tag value,= x")
            .Field("field key,= x", "say \"hi\" \\ bye")
            .Field("n", 42L).Field("f", 1.5).Field("b", true)
            .Timestamp(At)
            .ToString();

        Assert.Equal("my\\ measure\\,ment=1,tag\\ key\\,\\==tag\\ value\\,\\=\\ x field\\ key\\,\\=\\ x=\"say \\\"hi\\\" \\\\ bye\",n=42i,f=1.5,b=true 1764039540123000000", line);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NotANumberAndInfinitiesAreRefused(double value) =>
        Assert.Throws<ArgumentException>(() => new LineProtocol().Measurement("m").Field("x", value));

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("")]
    [InlineData("ends with\\")]
    public void NamesTheProtocolCannotCarryAreRefused(string name) =>
        Assert.Throws<ArgumentException>(() => new LineProtocol().Measurement("m").Field(name, 1L));

    [Fact]
    public void AnEmptyTagValueIsLeftOutBecauseTheProtocolHasNone() =>
        Assert.Equal("m x=1i 1764039540123000000", new LineProtocol().Measurement("m").Tag("t", "").Field("x", 1L).Timestamp(At).ToString());

    [Fact]
    public void ALineWithoutFieldsIsRefused() =>
        Assert.Throws<InvalidOperationException>(() => new LineProtocol().Measurement("m").Tag("t", "v").Timestamp(At));

    [Fact]
    public void IntegersAndFloatsKeepTheirTypes()
    {
        var line = new LineProtocol().Measurement("m").Field("i", 3L).Field("f", 3.0).Field("tiny", 1e-7).Timestamp(At).ToString();

        Assert.Equal("m i=3i,f=3,tiny=1E-07 1764039540123000000", line);
    }

    [Fact]
    public async Task HostileNamesAndValuesRoundTripThroughARealInfluxd()
    {
        var client = Client();
        await client.QueryAsync("CREATE DATABASE \"escaping\"", CancellationToken.None, write: true);
        const string measurement = "weird, measure=ment";
        const string tagValue = "老人 \"A\", b=c \\ d";
        const string text = "quote \" backslash \\ comma , equals = 中文 🚑";

        await client.WriteAsync(new LineProtocol()
            .Measurement(measurement).Tag("tag key, =", tagValue)
            .Field("text field", text).Field("count", 7L).Field("ratio", -0.25).Field("ok", false)
            .Timestamp(At).ToString(), CancellationToken.None);

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
        await client.QueryAsync("CREATE DATABASE \"escaping\"", CancellationToken.None, write: true);
        await client.WriteAsync(new LineProtocol().Measurement("types").Field("v", 1.5).Timestamp(At).ToString(), CancellationToken.None);

        await Assert.ThrowsAsync<TelemetryRejectedException>(() =>
            client.WriteAsync(new LineProtocol().Measurement("types").Field("v", 2L).Timestamp(At.AddSeconds(1)).ToString(), CancellationToken.None));
    }

    private InfluxDbClient Client() => new(new SingleClientFactory(), Options.Create(new TelemetryOptions
    {
        InfluxDb = new InfluxDbOptions { Url = influx.Url, Database = "escaping", RetentionPolicy = null },
    }));
}

/// <summary>One plain HttpClient for code that asks a factory.</summary>
internal sealed class SingleClientFactory : IHttpClientFactory
{
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public HttpClient CreateClient(string name) => Http;
}
