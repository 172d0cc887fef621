using System.Buffers;
using System.Text;
using ElderIoT.Contracts.Devices;
using ElderIoT.Gateway.Decoding;
using ElderIoT.Gateway.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ElderIoT.Tests.Gateway;

/// <summary>
/// An alarm event is decoded whatever is wrong around its type: the bad part is left off and flagged,
/// as payloads from watches whose clock, GPS or firmware is not right look.
/// </summary>
public sealed class AlarmEventDecodingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);
    private readonly DevicePayloadDecoder _decoder = new(Options.Create(new GatewayOptions()), new FakeTimeProvider(Now));

    [Theory]
    [InlineData("""{"id":"1","type":"sos","ts":"2026-11-25T04:00:00Z"}""", EventAnomalyKind.ClockAhead, "device clock 1 h ahead: raised at receipt time, device time kept")]
    [InlineData("""{"id":"1","type":"fall","ts":"2026-11-28T03:00:00Z"}""", EventAnomalyKind.ClockAhead, "device clock 3 d ahead")]
    [InlineData("""{"id":"1","type":"sos","ts":0}""", EventAnomalyKind.ClockBehind, "device clock not set (1970-01-01T00:00:00.0000000+00:00)")]
    [InlineData("""{"id":"1","type":"smoke","ts":"2000-01-01T00:03:12Z"}""", EventAnomalyKind.ClockBehind, "device clock not set (2000-01-01")]
    [InlineData("""{"id":"1","type":"gas","ts":-5}""", EventAnomalyKind.ClockUnreadable, "device time unreadable (ts: must be ISO 8601 or epoch milliseconds)")]
    [InlineData("""{"id":"1","type":"water","ts":true}""", EventAnomalyKind.ClockUnreadable, "device time unreadable")]
    [InlineData("""{"id":"1","type":"sos","lat":91,"lon":118}""", EventAnomalyKind.PositionRefused, "position missing: lat: 91 is outside -90..90")]
    [InlineData("""{"id":"1","type":"sos","lon":118}""", EventAnomalyKind.PositionRefused, "position missing: lat and lon: give both or neither")]
    [InlineData("""{"id":"1","type":"sos","lat":"N32","lon":118}""", EventAnomalyKind.PositionRefused, "position missing: lat: must be a number")]
    [InlineData("""{"type":"sos"}""", EventAnomalyKind.IdMissing, "event id missing (id: required, 1 to 64 characters): p-")]
    [InlineData("""{"id":"","type":"sos"}""", EventAnomalyKind.IdMissing, "event id missing")]
    [InlineData("""{"id":{"n":1},"type":"sos"}""", EventAnomalyKind.IdMissing, "event id missing (id: must be a string)")]
    [InlineData("""{"id":"\ud800","type":"sos"}""", EventAnomalyKind.IdMissing, "event id missing (id: not valid UTF-8 text)")]
    [InlineData("""{"id":"1","type":"sos","acc":""", EventAnomalyKind.PayloadMalformed, "payload broken (")]
    [InlineData("""{"id":"1","type":"sos",,}""", EventAnomalyKind.PayloadMalformed, "payload broken (',' is an invalid start")]
    public void AnAlarmWithSomethingWrongAroundItIsDecodedAndFlagged(string payload, EventAnomalyKind kind, string detail)
    {
        var result = _decoder.DecodeEvent("w1", Bytes(payload));

        Assert.True(result.IsValid, result.Error);
        var anomaly = Assert.Single(result.Value!.Anomalies);
        Assert.Equal(kind, anomaly.Kind);
        Assert.StartsWith(detail, anomaly.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDeviceTimeIsKeptAsReportedWhileTheAlarmTakesTheReceiptTime()
    {
        var result = _decoder.DecodeEvent("w1", Bytes("""{"id":"1","type":"sos","ts":"2026-11-25T05:00:00Z","lat":91,"lon":0}""")).Value!;

        Assert.Equal(new DateTimeOffset(2026, 11, 25, 5, 0, 0, TimeSpan.Zero), result.DeviceTime);
        Assert.Equal(Now, result.OccurredAt);
        Assert.Null(result.Position);
        Assert.Equal([EventAnomalyKind.ClockAhead, EventAnomalyKind.PositionRefused], result.Anomalies.Select(a => a.Kind).ToArray());
    }

    [Fact]
    public void AnEventWithoutAnIdGetsTheSameDerivedIdForTheSameBytesAndAnotherForOtherBytes()
    {
        var first = _decoder.DecodeEvent("w1", Bytes("""{"type":"sos","lat":32.06,"lon":118.79}""")).Value!;
        var resent = _decoder.DecodeEvent("w1", Bytes("""{"type":"sos","lat":32.06,"lon":118.79}""")).Value!;
        var other = _decoder.DecodeEvent("w1", Bytes("""{"type":"sos","lat":32.07,"lon":118.79}""")).Value!;

        Assert.Equal(first.EventId, resent.EventId);
        Assert.Equal(first.ContentKey, resent.ContentKey);
        Assert.NotEqual(first.EventId, other.EventId);
        Assert.StartsWith("p-", first.EventId, StringComparison.Ordinal);
    }

    [Fact]
    public void ACleanSosHasNoAnomaliesAndTheSameIdAtAnotherDeviceTimeIsAnotherEvent()
    {
        var sos = _decoder.DecodeEvent("w1", Bytes("""{"id":"r1","type":"sos","ts":1764039540000}""")).Value!;
        var door = _decoder.DecodeEvent("w1", Bytes("""{"id":"r1","type":"door","ts":1764039540000}""")).Value!;
        var later = _decoder.DecodeEvent("w1", Bytes("""{"id":"r1","type":"sos","ts":1764039600000}""")).Value!;

        Assert.Empty(sos.Anomalies);
        Assert.Equal("sos@1764039540000", sos.ContentKey);
        Assert.NotEqual(sos.ContentKey, door.ContentKey);
        Assert.NotEqual(sos.ContentKey, later.ContentKey);
    }

    public static TheoryData<byte[], bool, string> NotUnicode() => new()
    {
        { Raw("{\"id\":\"1\",\"type\":\"sos\",\"note\":\"", [0xC3, 0x28, 0xFF], "\"}"), true, "" },
        { Raw("{\"id\":\"", [0xFF, 0xFE], "\",\"type\":\"sos\"}"), true, "" },
        { Raw("{\"", [0xFF], "\":1,\"type\":\"fall\"}"), true, "" },
        { Bytes("{\"id\":\"1\",\"type\":\"sos\",\"ts\":\"\\udc00\"}").ToArray(), true, "" },
        { Raw("{\"id\":\"1\",\"type\":\"s", [0xFF], "s\"}"), false, "type: not valid UTF-8 text" },
        { Bytes("{\"id\":\"1\",\"type\":\"\\ud83d\"}").ToArray(), false, "type: not valid UTF-8 text" },
        { Raw("{\"id\":\"", [0xFF], "\",\"type\":\"door\"}"), false, "id: not valid UTF-8 text" },
    };

    [Theory]
    [MemberData(nameof(NotUnicode))]
    public void TextThatIsNotUnicodeNeverThrowsAndOnlyAnUnreadableTypeIsRefused(byte[] payload, bool raises, string refusal)
    {
        var result = _decoder.DecodeEvent("w1", new ReadOnlySequence<byte>(payload));

        Assert.Equal(raises, result.IsValid);
        Assert.Contains(refusal, result.Error ?? "");
    }

    [Theory]
    [InlineData("{\"ts\":\"\\ud800\",\"hr\":70}", "ts: not valid UTF-8 text")]
    public void ReadingsWithTextThatIsNotUnicodeAreRefusedWithAReason(string payload, string expected)
    {
        var result = _decoder.DecodeTelemetry(Bytes(payload));

        Assert.False(result.IsValid);
        Assert.Contains(expected, result.Error);
    }

    [Fact]
    public void AReadingWithBytesThatAreNotUtf8IsRefusedWithAReason()
    {
        var result = _decoder.DecodeTelemetry(new ReadOnlySequence<byte>(Raw("{\"ts\":\"", [0xC0, 0xAF], "\",\"hr\":70}")));

        Assert.False(result.IsValid);
        Assert.False(string.IsNullOrEmpty(result.Error));
    }

    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    private static byte[] Raw(string before, byte[] raw, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. raw, .. Encoding.UTF8.GetBytes(after)];
}
