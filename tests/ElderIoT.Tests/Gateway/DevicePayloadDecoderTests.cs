using System.Buffers;
using System.Text;
using ElderIoT.Contracts.Devices;
using ElderIoT.Gateway.Decoding;
using ElderIoT.Gateway.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ElderIoT.Tests.Gateway;

/// <summary>Device protocol v1 payloads as watches and handsets send them, and as they break.</summary>
public sealed class DevicePayloadDecoderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);
    private readonly DevicePayloadDecoder _decoder = new(Options.Create(new GatewayOptions()), new FakeTimeProvider(Now));

    [Fact]
    public void AWatchReadingWithEveryFieldDecodes()
    {
        var result = _decoder.DecodeTelemetry(Bytes("""{"ts":"2026-11-25T10:59:00+08:00","lat":32.06,"lon":118.79,"acc":15,"hr":72,"spo2":97,"sbp":130,"dbp":85,"steps":1200,"battery":80,"worn":true}"""));

        var reading = Assert.Single(result.Value!);
        Assert.Equal(Now.AddMinutes(-1), reading.Timestamp);
        Assert.Equal(TimeSpan.Zero, reading.Timestamp.Offset);
        Assert.Equal(new GeoPosition(32.06, 118.79, 15), reading.Position);
        Assert.Equal((72, 97, 130, 85, 1200, 80, true), (reading.HeartRate, reading.SpO2, reading.Systolic, reading.Diastolic, reading.Steps, reading.Battery, reading.Worn));
    }

    [Fact]
    public void AnArrayOfReadingsWithEpochMillisecondsDecodes()
    {
        var ms = Now.AddSeconds(-30).ToUnixTimeMilliseconds();
        var result = _decoder.DecodeTelemetry(Bytes($$"""[{"ts":{{ms}},"hr":70},{"ts":{{ms + 1000}},"battery":50}]"""));

        Assert.Equal(2, result.Value!.Count);
        Assert.Equal(Now.AddSeconds(-30), result.Value[0].Timestamp);
        Assert.Null(result.Value[0].Position);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("", "empty")]
    [InlineData("42", "object or an array")]
    [InlineData("""{"hr":70}""", "ts: required")]
    [InlineData("""{"ts":"yesterday"}""", "ts: must be")]
    [InlineData("""{"ts":"2099-01-01T00:00:00Z"}""", "outside the accepted range")]
    [InlineData("""{"ts":"2026-11-25T02:59:00Z","hr":400}""", "hr: 400 is outside 20..250")]
    [InlineData("""{"ts":"2026-11-25T02:59:00Z","hr":0}""", "hr: 0 is outside 20..250")]
    [InlineData("""{"ts":"2026-11-25T02:59:00Z","lat":91,"lon":0}""", "lat: 91 is outside")]
    [InlineData("""{"ts":"2026-11-25T02:59:00Z","lat":32.0}""", "lat and lon")]
    [InlineData("""{"ts":"2026-11-25T02:59:00Z","battery":"full"}""", "battery: must be a number")]
    [InlineData("""{"ts":"2026-11-25T02:59:00Z","steps":1.5}""", "steps: must be a whole number")]
    [InlineData("""{"ts":"2026-11-25T02:59:00Z","worn":"yes"}""", "worn: must be true or false")]
    [InlineData("""[{"ts":"2026-11-25T02:59:00Z"},{"ts":"2026-11-25T02:59:00Z","spo2":20}]""", "[1].spo2")]
    [InlineData("[]", "1 to 500 readings")]
    public void ABrokenReadingIsRefusedNamingTheField(string payload, string expected)
    {
        var result = _decoder.DecodeTelemetry(Bytes(payload));

        Assert.False(result.IsValid);
        Assert.Contains(expected, result.Error);
    }

    [Fact]
    public void AnSosEventDecodesWithItsPosition()
    {
        var result = _decoder.DecodeEvent("w1", Bytes("""{"id":"42","type":"sos","ts":1764039540000,"lat":32.06,"lon":118.79,"acc":8}"""));

        var at = DateTimeOffset.FromUnixTimeMilliseconds(1764039540000);
        Assert.Equal(new DeviceEvent("w1", "42", DeviceEventType.Sos, at, new GeoPosition(32.06, 118.79, 8)) { DeviceTime = at }, result.Value);
    }

    [Fact]
    public void ANumericEventIdAndAMissingTimestampAreAccepted()
    {
        var result = _decoder.DecodeEvent("h1", Bytes("""{"id":7,"type":"sos_cancel"}"""));

        Assert.Equal(("7", DeviceEventType.SosCancel, Now), (result.Value!.EventId, result.Value.Type, result.Value.OccurredAt));
    }

    [Theory]
    [InlineData("""{"type":"door"}""", "id: required")]
    [InlineData("""{"id":"1","type":"help"}""", "type: 'help' is not one of sos, sos_cancel, fall")]
    [InlineData("""{"id":"1"}""", "type:")]
    [InlineData("""["sos"]""", "JSON object")]
    [InlineData("""{"id":"1","type":"low_battery","lon":200,"lat":1}""", "lon: 200")]
    [InlineData("""{"id":"1","type":"door","ts":"2099-01-01T00:00:00Z"}""", "outside the accepted range")]
    public void ABrokenEventThatRaisesNoAlarmIsRefusedNamingTheField(string payload, string expected)
    {
        var result = _decoder.DecodeEvent("w1", Bytes(payload));

        Assert.False(result.IsValid);
        Assert.Contains(expected, result.Error);
    }

    [Theory]
    [InlineData("devices/w1/events", true, "w1", DeviceTopicKind.Events)]
    [InlineData("devices/w1/telemetry", true, "w1", DeviceTopicKind.Telemetry)]
    [InlineData("devices/w1/commands", true, "w1", DeviceTopicKind.Commands)]
    [InlineData("devices/w1/other", false, null, default(DeviceTopicKind))]
    [InlineData("devices//events", false, null, default(DeviceTopicKind))]
    [InlineData("devices/w1/events/x", false, null, default(DeviceTopicKind))]
    [InlineData("elders/w1/events", false, null, default(DeviceTopicKind))]
    public void TopicsAreParsedStrictly(string topic, bool valid, string? deviceId, DeviceTopicKind kind)
    {
        Assert.Equal(valid, DeviceTopic.TryParse(topic, out var parsed));
        if (valid)
        {
            Assert.Equal(new DeviceTopic(deviceId!, kind), parsed);
        }
    }

    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.UTF8.GetBytes(text));
}
