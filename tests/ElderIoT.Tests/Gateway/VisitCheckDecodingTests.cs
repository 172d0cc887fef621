using System.Buffers;
using System.Text;
using ElderIoT.Contracts.Devices;
using ElderIoT.Gateway.Decoding;
using ElderIoT.Gateway.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ElderIoT.Tests.Gateway;

/// <summary>The visit checks of device protocol v1: they name an elder, and nothing else may.</summary>
public sealed class VisitCheckDecodingTests
{
    private static readonly Guid Elder = Guid.Parse("0b5e6f0e-8a57-4f43-9d1c-3a0f5f3c2a11");
    private readonly DevicePayloadDecoder _decoder = new(Options.Create(new GatewayOptions()), new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56)));

    [Theory]
    [InlineData("visit_check_in", DeviceEventType.VisitCheckIn)]
    [InlineData("visit_check_out", DeviceEventType.VisitCheckOut)]
    public void AVisitCheckNamesTheVisitedElderAndRaisesNothing(string type, DeviceEventType expected)
    {
        var result = Decode($$"""{"id":"v1","type":"{{type}}","elderId":"{{Elder}}","lat":32.06,"lon":118.79,"acc":15}""");

        Assert.True(result.IsValid, result.Error);
        Assert.Equal(expected, result.Value!.Type);
        Assert.Equal(Elder, result.Value.VisitedElderId);
        Assert.False(result.Value.RaisesAlarm);
        Assert.Null(expected.AlarmKindOf());
    }

    [Fact]
    public void AnElderIdOnAnyOtherTypeIsIgnored()
    {
        var result = Decode($$"""{"id":"s1","type":"sos","elderId":"{{Elder}}"}""");

        Assert.True(result.IsValid, result.Error);
        Assert.Null(result.Value!.VisitedElderId);
    }

    [Theory]
    [InlineData("""{"id":"v1","type":"visit_check_in"}""", "elderId: required")]
    [InlineData("""{"id":"v1","type":"visit_check_out","elderId":"mrs-wang"}""", "elderId: must be an elder id")]
    [InlineData("""{"id":"v1","type":"visit_check_in","elderId":[1]}""", "elderId: must be a string")]
    public void AVisitCheckWithoutAUsableElderIdIsRefusedNamingTheField(string json, string error)
    {
        var result = Decode(json);

        Assert.False(result.IsValid);
        Assert.Contains(error, result.Error);
    }

    private DecodeResult<DeviceEvent> Decode(string json) =>
        _decoder.DecodeEvent("cw-phone", new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)));
}
