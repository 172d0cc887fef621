using System.Globalization;
using ElderIoT.Api.Geofences;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Geofences;
using ElderIoT.Tests.Geofences;
using ElderIoT.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>Home visits checked in and out from the care worker's own device over MQTT (002).</summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(NodeCollection.Name)]
public sealed class VisitDeviceEndToEndTests(NodeFixture fixture)
{
    private const string Rejected = "elderiot.gateway.messages_rejected";

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task AWorkersDeviceCheckedInAtTheHomeAndOutLaterMakesOneVisitWithTimeOnSite()
    {
        var (elderId, worker, phone) = await ElderAndWorkerWithPhoneAsync();
        await using var _ = phone;
        var atDoor = Shapes.At(70, 0); // 10 m outside the 60 m circle, within the 20 m accuracy: at the home.

        var checkIn = await phone.PublishEventAsync(Visit("v-1", "visit_check_in", elderId, atDoor, 20));
        var checkOut = await phone.PublishEventAsync(Visit("v-2", "visit_check_out", elderId, (Shapes.HomeLat, Shapes.HomeLon), 10));
        var visits = await Node.GetAsync<List<VisitResponse>>($"/api/visits?elderId={elderId}");

        Assert.True(checkIn.IsSuccess, $"{checkIn.ReasonCode} {checkIn.ReasonString}");
        Assert.True(checkOut.IsSuccess, $"{checkOut.ReasonCode} {checkOut.ReasonString}");
        var visit = Assert.Single(visits);
        Assert.Equal(worker, visit.Visit.WorkerId);
        Assert.Equal(VisitPlace.AtHome, visit.Visit.CheckInPlace);
        Assert.Equal(VisitPlace.AtHome, visit.Visit.CheckOutPlace);
        Assert.NotNull(visit.MinutesOnSite);
        Assert.False(visit.Flagged);
        Assert.Equal(phone.Id, visit.Visit.CheckInDeviceId);
        Assert.Equal(phone.Id, visit.Visit.CheckOutDeviceId);
    }

    [Fact]
    public async Task ADeviceCheckInAwayFromTheHomeIsFlagged()
    {
        var (elderId, _, phone) = await ElderAndWorkerWithPhoneAsync();
        await using var _ = phone;

        var checkIn = await phone.PublishEventAsync(Visit("v-1", "visit_check_in", elderId, Shapes.At(400, 0), 20));
        var visits = await Node.GetAsync<List<VisitResponse>>($"/api/visits?elderId={elderId}");

        Assert.True(checkIn.IsSuccess, $"{checkIn.ReasonCode} {checkIn.ReasonString}");
        var visit = Assert.Single(visits);
        Assert.Equal(VisitPlace.AwayFromHome, visit.Visit.CheckInPlace);
        Assert.True(visit.Flagged);
    }

    [Fact]
    public async Task AVisitCheckInFromAnEldersOwnWatchIsRefusedAndMakesNoVisit()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        using var rejected = new CounterRecorder(Node, Rejected);
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);

        var refused = await watch.PublishEventAsync(Visit("v-1", "visit_check_in", elder.Id, (Shapes.HomeLat, Shapes.HomeLon), 10));
        var visits = await Node.GetAsync<List<VisitResponse>>($"/api/visits?elderId={elder.Id}");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, refused.ReasonCode);
        Assert.Contains("responder", refused.ReasonString);
        Assert.Empty(visits);
        Assert.Equal(1, rejected.Count("reason", "visit_not_responder_device"));
    }

    [Fact]
    public async Task AVisitCheckInFromAnMqtt311EldersWatchIsAcknowledgedAsBeforeButCountedAndMakesNoVisit()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        using var rejected = new CounterRecorder(Node, Rejected);
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret, MqttProtocolVersion.V311);

        await watch.PublishEventAsync(Visit("v-1", "visit_check_in", elder.Id, (Shapes.HomeLat, Shapes.HomeLon), 10));
        var visits = await Node.GetAsync<List<VisitResponse>>($"/api/visits?elderId={elder.Id}");

        // 3.1.1 has no negative PUBACK; a refused non-alarm event is acknowledged and dropped, the connection stays up.
        Assert.True(watch.Client.IsConnected);
        Assert.Empty(visits);
        Assert.Equal(1, rejected.Count("reason", "visit_not_responder_device"));
    }

    [Fact]
    public async Task ACheckOutWithoutAnOpenVisitOrForAnUnknownElderIsRefusedWithAReason()
    {
        var (elderId, _, phone) = await ElderAndWorkerWithPhoneAsync();
        await using var _ = phone;
        using var rejected = new CounterRecorder(Node, Rejected);

        var noVisit = await phone.PublishEventAsync(Visit("v-1", "visit_check_out", elderId, (Shapes.HomeLat, Shapes.HomeLon), 10));
        var nobody = await phone.PublishEventAsync(Visit("v-2", "visit_check_in", Guid.NewGuid(), (Shapes.HomeLat, Shapes.HomeLon), 10));
        var noElderId = await phone.PublishEventAsync("""{"id":"v-3","type":"visit_check_in","lat":32.0603,"lon":118.797,"acc":10}""");
        var visits = await Node.GetAsync<List<VisitResponse>>($"/api/visits?elderId={elderId}");

        Assert.Equal(MqttClientPublishReasonCode.ImplementationSpecificError, noVisit.ReasonCode);
        Assert.Contains("no open visit", noVisit.ReasonString);
        Assert.Equal(MqttClientPublishReasonCode.ImplementationSpecificError, nobody.ReasonCode);
        Assert.Contains("not registered", nobody.ReasonString);
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, noElderId.ReasonCode);
        Assert.Contains("elderId", noElderId.ReasonString);
        Assert.True(phone.Client.IsConnected);
        Assert.Empty(visits);
        Assert.Equal(1, rejected.Count("reason", "visit_not_open"));
        Assert.Equal(1, rejected.Count("reason", "visit_unknown_elder"));
    }

    [Fact]
    public async Task AResentCheckInMakesOneVisit()
    {
        var (elderId, _, phone) = await ElderAndWorkerWithPhoneAsync();
        await using var _ = phone;
        var checkIn = Visit("v-1", "visit_check_in", elderId, (Shapes.HomeLat, Shapes.HomeLon), 10);

        var first = await phone.PublishEventAsync(checkIn);
        var again = await phone.PublishEventAsync(checkIn);
        var visits = await Node.GetAsync<List<VisitResponse>>($"/api/visits?elderId={elderId}");

        Assert.True(first.IsSuccess, $"{first.ReasonCode} {first.ReasonString}");
        Assert.True(again.IsSuccess, $"{again.ReasonCode} {again.ReasonString}");
        Assert.Single(visits);
    }

    private async Task<(Guid ElderId, string WorkerId, MqttDevice Phone)> ElderAndWorkerWithPhoneAsync()
    {
        var elder = await Node.CreateElderAsync();
        using (var fence = await Node.Http.PostAsync($"/api/elders/{elder.Id}/geofences", new StringContent(
            $$"""{"type":"Feature","geometry":{{Shapes.PointJson()}},"properties":{"name":"家","kind":"safe","home":true,"radius":60} }""",
            System.Text.Encoding.UTF8, "application/json")))
        {
            fence.EnsureSuccessStatusCode();
        }

        var tag = Guid.NewGuid().ToString("N")[..8];
        var worker = $"cw-{tag}";
        await Node.PostAsync<object>("/api/responders", new { id = worker, name = "护理员", kind = "care_worker" });
        var device = await Node.PostAsync<DeviceRegistration>($"/api/responders/{worker}/devices", new { id = $"cw-phone-{tag}", kind = "handset" });
        return (elder.Id, worker, await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret));
    }

    private static string Visit(string id, string type, Guid elderId, (double Lat, double Lon) at, double acc) =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""{"id":"{{id}}","type":"{{type}}","elderId":"{{elderId}}","ts":"{{DateTimeOffset.UtcNow:O}}","lat":{{at.Lat}},"lon":{{at.Lon}},"acc":{{acc}}}""");
}
