using System.Buffers;
using System.Text;
using ElderIoT.Contracts.Devices;
using ElderIoT.Gateway.Decoding;
using ElderIoT.Gateway.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ElderIoT.Tests.Geofences;

/// <summary>The history's centre-made event types (zone crossings, locate) are not part of the device protocol.</summary>
public sealed class CentreEventTypeTests
{
    private readonly DevicePayloadDecoder _decoder = new(Options.Create(new GatewayOptions()), new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56)));

    [Theory]
    [InlineData("geofence_exit")]
    [InlineData("geofence_enter")]
    [InlineData("located")]
    [InlineData("centre_alarm")]
    public void ADeviceCannotForgeAZoneCrossingOrALocateAnswer(string type)
    {
        var result = _decoder.DecodeEvent("w1", new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes($$"""{"id":"1","type":"{{type}}"}""")));

        Assert.False(result.IsValid);
        var error = result.Error!;
        Assert.Contains($"type: '{type}' is not one of", error);
        Assert.DoesNotContain("geofence", error[error.IndexOf("one of", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void EveryProtocolTypeIsStillAccepted()
    {
        foreach (var type in Enum.GetValues<DeviceEventType>().Where(t => t.IsSentByDevices()))
        {
            // elderId: required by the visit checks, ignored by every other type.
            var json = $$"""{"id":"1","type":"{{ElderIoT.Contracts.EnumNames.ToSnakeCase(type)}}","elderId":"{{Guid.NewGuid()}}"}""";
            Assert.True(_decoder.DecodeEvent("w1", new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json))).IsValid, json);
        }
    }
}
