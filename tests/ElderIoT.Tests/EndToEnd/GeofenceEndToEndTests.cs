using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ElderIoT.Api.Alarms;
using ElderIoT.Api.Geofences;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Geofences;
using ElderIoT.Geofences;
using ElderIoT.Telemetry;
using ElderIoT.Tests.Geofences;
using ElderIoT.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>Zones over REST and real MQTT devices: wandering, locate-now, who is near, home visits.</summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(NodeCollection.Name)]
public sealed class GeofenceEndToEndTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task EveryGeometryTypeMakesTheRestRoundTrip()
    {
        var elder = await Node.CreateElderAsync();
        var circle = Feature(Shapes.PointJson(), "家", "safe", radius: 150, home: true,
            schedule: """{"days":["mon","tue"],"from":"22:00","to":"06:00"}""");
        // Rings as RFC 7946 wants them (outer counter-clockwise, holes clockwise), which is how they come back.
        var holed = Feature($$"""{"type":"Polygon","coordinates":[{{Shapes.Ring(-500, -500, 500, 500)}},{{Shapes.Ring(-100, -100, 100, 100, clockwise: true)}}]}""", "小区", "safe");
        var multi = Feature($$"""{"type":"MultiPolygon","coordinates":[[{{Shapes.Ring(300, 300, 400, 380)}}],[{{Shapes.Ring(-400, 300, -300, 380)}}]]}""", "河边", "danger");

        var created = new List<JsonObject>();
        foreach (var feature in new[] { circle, holed, multi })
        {
            using var response = await Node.Http.PostAsync($"/api/elders/{elder.Id}/geofences", Json(feature));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            Assert.Equal($"/api/elders/{elder.Id}/geofences/{body["id"]}", response.Headers.Location?.ToString());
            created.Add(body);
        }

        for (var i = 0; i < created.Count; i++)
        {
            var fetched = JsonNode.Parse(await Node.Http.GetStringAsync($"/api/elders/{elder.Id}/geofences/{created[i]["id"]}"))!;
            var sent = JsonNode.Parse(new[] { circle, holed, multi }[i])!;
            Assert.Equal(sent["geometry"]!["type"]!.GetValue<string>(), fetched["geometry"]!["type"]!.GetValue<string>());
            Assert.True(JsonNode.DeepEquals(Rounded(sent["geometry"]!["coordinates"]!), Rounded(fetched["geometry"]!["coordinates"]!)), $"coordinates of {fetched["properties"]!["name"]}");
            Assert.Equal(sent["properties"]!["name"]!.GetValue<string>(), fetched["properties"]!["name"]!.GetValue<string>());
        }

        var home = JsonNode.Parse(await Node.Http.GetStringAsync($"/api/elders/{elder.Id}/geofences/{created[0]["id"]}"))!["properties"]!;
        Assert.Equal((150.0, true, "22:00", "06:00"), (home["radius"]!.GetValue<double>(), home["home"]!.GetValue<bool>(), home["schedule"]!["from"]!.GetValue<string>(), home["schedule"]!["to"]!.GetValue<string>()));

        using var replaced = await Node.Http.PutAsync($"/api/elders/{elder.Id}/geofences/{created[1]["id"]}", Json(Feature(Shapes.RectangleJson(-600, -600, 600, 600), "大小区", "safe")));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        using var deleted = await Node.Http.DeleteAsync($"/api/elders/{elder.Id}/geofences/{created[2]["id"]}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await Node.Http.GetAsync($"/api/elders/{elder.Id}/geofences/{created[2]["id"]}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        var all = JsonNode.Parse(await Node.Http.GetStringAsync($"/api/elders/{elder.Id}/geofences"))!;
        Assert.Equal("FeatureCollection", all["type"]!.GetValue<string>());
        Assert.Equal(["家", "大小区"], all["features"]!.AsArray().Select(f => f!["properties"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task InvalidGeometryIsRefusedWithAProblemThatSaysWhatAndWhere()
    {
        var elder = await Node.CreateElderAsync();
        var unclosed = Feature("""{"type":"Polygon","coordinates":[[[118.79,32.06],[118.80,32.06],[118.80,32.07],[118.79,32.07]]]}""", "x", "safe");

        using var response = await Node.Http.PostAsync($"/api/elders/{elder.Id}/geofences", Json(unclosed));
        using var bowtie = await Node.Http.PostAsync($"/api/elders/{elder.Id}/geofences",
            Json(Feature("""{"type":"Polygon","coordinates":[[[118,32],[118.01,32.01],[118.01,32],[118,32.01],[118,32]]]}""", "x", "safe")));
        using var noRadius = await Node.Http.PostAsync($"/api/elders/{elder.Id}/geofences", Json(Feature(Shapes.PointJson(), "x", "safe", radius: -3)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("The geofence is invalid.", problem["title"]!.GetValue<string>());
        Assert.Contains("not closed", problem["errors"]!["geometry.coordinates[0]"]![0]!.GetValue<string>());
        Assert.Contains("Self-intersection", (await bowtie.Content.ReadAsStringAsync()).Replace("self-intersection", "Self-intersection"));
        Assert.Contains("properties.radius", await noRadius.Content.ReadAsStringAsync());
        Assert.Equal("[]", JsonNode.Parse(await Node.Http.GetStringAsync($"/api/elders/{elder.Id}/geofences"))!["features"]!.ToJsonString());
    }

    [Fact]
    public async Task AnElderWhoWalksOutOfTheHomeZoneRaisesOneWanderingAlarmAndTheWatchIsAskedToReportMoreOften()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        await PostFenceAsync(elder.Id, Feature(Shapes.PointJson(), "家", "safe", radius: 150, home: true));
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        var commands = await ListenAsync(watch);

        // Walking east from home, a fix every 10 s (device time), 15 m accuracy.
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);
        for (var i = 0; i < 20; i++)
        {
            var (lat, lon) = Shapes.At(i * 60, 0);
            await watch.PublishAsync($"devices/{device.Id}/telemetry", Reading(t0.AddSeconds(10 * i), lat, lon, 15));
        }

        var alarm = await TestNode.EventuallyAsync(
            () => Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}"), a => a.Count > 0, "a wandering alarm");
        var tracking = await commands.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var detail = await TestNode.EventuallyAsync(
            () => Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarm[0].Alarm.Id}"), d => d.Timeline.Any(t => t.Type == "wandering_detail"), "the wandering detail");
        var history = await TestNode.EventuallyAsync(
            () => Node.GetAsync<List<StoredEvent>>($"/api/elders/{elder.Id}/events"), e => e.Count > 0, "the exit in the elder's history");

        Assert.Equal(AlarmKind.Wandering, Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm.Kind);
        var note = detail.Timeline.Single(t => t.Type == "wandering_detail").Detail!;
        Assert.Contains("left safe zone '家'", note);
        Assert.Matches(@"\d+ m from home", note);
        Assert.Contains("last positions", note);
        Assert.Equal(DeviceEventType.GeofenceExit, Assert.Single(history).Type);
        Assert.Contains("\"mode\":\"tracking\"", tracking);

        await Node.AsSeat("s-wander", Scenario.District).PostAsync<AlarmSnapshot>($"/api/alarms/{alarm[0].Alarm.Id}/accept");
        await Node.AsSeat("s-wander", Scenario.District).PostAsync<AlarmSnapshot>($"/api/alarms/{alarm[0].Alarm.Id}/resolve", new { outcome = "real_emergency" });
        Assert.Contains("\"mode\":\"normal\"", await commands.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task LocateNowReturnsTheFreshFixOfADeviceThatAnswersAndTheStaleOneOfADeviceThatDoesNot()
    {
        var (answering, answeringDevice) = await Node.ElderWithDeviceAsync();
        var (silent, silentDevice) = await Node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, answeringDevice.Id, answeringDevice.Secret);
        await using var mute = await MqttDevice.ConnectAsync(Node.MqttPort, silentDevice.Id, silentDevice.Secret);
        var (here, there) = (Shapes.At(120, -40), Shapes.At(-300, 200));
        watch.Client.ApplicationMessageReceivedAsync += async e =>
        {
            if (e.ApplicationMessage.ConvertPayloadToString().Contains("\"type\":\"locate\""))
            {
                await watch.PublishAsync($"devices/{answeringDevice.Id}/telemetry", Reading(DateTimeOffset.UtcNow, here.Lat, here.Lon, 8));
            }
        };
        await watch.Client.SubscribeAsync($"devices/{answeringDevice.Id}/commands", MqttQualityOfServiceLevel.AtLeastOnce);
        await mute.Client.SubscribeAsync($"devices/{silentDevice.Id}/commands", MqttQualityOfServiceLevel.AtLeastOnce);
        // The silent one was last heard of ten minutes ago.
        await mute.PublishAsync($"devices/{silentDevice.Id}/telemetry", Reading(DateTimeOffset.UtcNow.AddMinutes(-10), there.Lat, there.Lon, 20));
        await TestNode.EventuallyAsync(() => Node.GetAsync<DeviceStatus>($"/api/devices/{silentDevice.Id}"), d => d.LastPosition is not null, "the silent device's last position");

        var fresh = await Node.PostAsync<LocateResult>($"/api/elders/{answering.Id}/locate?wait=10", new { });
        var stale = await Node.PostAsync<LocateResult>($"/api/elders/{silent.Id}/locate?wait=1", new { });

        Assert.Equal(LocateStatus.Fresh, fresh.Status);
        Assert.Equal(here.Lat, fresh.Position!.Lat, 6);
        Assert.Equal([answeringDevice.Id], fresh.AskedDevices);
        Assert.Equal(LocateStatus.Stale, stale.Status);
        Assert.Equal(there.Lat, stale.Position!.Lat, 6);
        Assert.InRange(stale.Age!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(12));
        var history = await TestNode.EventuallyAsync(
            () => Node.GetAsync<List<StoredEvent>>($"/api/elders/{silent.Id}/events"), e => e.Count >= 2, "the request and its end in the history");
        Assert.Equal([DeviceEventType.LocateRequested, DeviceEventType.LocateUnanswered], history.Select(e => e.Type));
    }

    [Fact]
    public async Task TheAlarmCardListsTheNearestAvailableRespondersInOrderOfDistance()
    {
        // A place of this test's own, so responders of other tests are far away: its own longitude band
        // (80–88°), apart from the responder-device test (90–98°), since the nearest search looks 0.5° around.
        var origin = new LocalProjection(20 + Random.Shared.NextDouble() * 20, 80 + Random.Shared.NextDouble() * 8);
        (double Lat, double Lon) At(double east, double north) => origin.Unproject(east, north);
        var tag = Guid.NewGuid().ToString("N")[..8];
        foreach (var (name, east, available) in new[] { ("far", 2000.0, true), ("near", 500.0, true), ("middle", 1000.0, true), ("off-duty", 100.0, false), ("other-city", 300_000.0, true) })
        {
            var (lat, lon) = At(east, 0);
            using var registered = await Node.Http.PostAsJsonAsync("/api/responders",
                new { id = $"{name}-{tag}", name, kind = "volunteer", phone = "+8613900000000", home = new { lat, lon }, available }, TestNode.Json);
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        // "far" is out and about, now 300 m away: their live position counts, not their home.
        var (liveLat, liveLon) = At(0, 300);
        using var moved = await Node.Http.PutAsJsonAsync($"/api/responders/far-{tag}/position", new { lat = liveLat, lon = liveLon, acc = 10 }, TestNode.Json);
        Assert.Equal(HttpStatusCode.NoContent, moved.StatusCode);

        var (elder, device) = await Node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        var (sosLat, sosLon) = At(0, 0);
        await watch.PublishEventAsync(string.Create(CultureInfo.InvariantCulture, $$"""{"id":"n1","type":"sos","lat":{{sosLat}},"lon":{{sosLon}},"acc":10}"""));
        var alarmId = Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm.Id;

        var card = await Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}");

        Assert.Equal([$"far-{tag}", $"near-{tag}", $"middle-{tag}"], card.NearestResponders.Select(r => r.Id));
        Assert.Equal([300, 500, 1000], card.NearestResponders.Select(r => Math.Round(r.DistanceMetres / 10) * 10));
        Assert.Equal(["live", "home", "home"], card.NearestResponders.Select(r => r.PositionSource));
    }

    /// <summary>
    /// A time written with its offset (a phone in Beijing sends +08:00) is an instant like any other;
    /// PostgreSQL's driver refused to store any offset but zero, and the position was a 500.
    /// </summary>
    [Fact]
    public async Task AResponderPositionSentWithAnOffsetIsKeptAsTheSameInstant()
    {
        var origin = new LocalProjection(20 + Random.Shared.NextDouble() * 20, 100 + Random.Shared.NextDouble() * 8);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (lat, lon) = origin.Unproject(0, 200);
        await Node.PostAsync<object>("/api/responders", new { id = $"beijing-{tag}", name = "志愿者", kind = "volunteer", home = new { lat, lon } });
        var now = DateTimeOffset.UtcNow;
        var at = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero).AddMinutes(-1).ToOffset(TimeSpan.FromHours(8));

        using var moved = await Node.Http.PutAsJsonAsync($"/api/responders/beijing-{tag}/position", new { lat, lon, acc = 10, at = at.ToString("O", CultureInfo.InvariantCulture) }, TestNode.Json);

        Assert.Equal(HttpStatusCode.NoContent, moved.StatusCode);
        var (originLat, originLon) = origin.Unproject(0, 0);
        var nearest = await Node.GetAsync<List<NearbyResponder>>(FormattableString.Invariant($"/api/responders/nearest?lat={originLat}&lon={originLon}"));
        var responder = Assert.Single(nearest, r => r.Id == $"beijing-{tag}");
        Assert.Equal("live", responder.PositionSource);
        Assert.Equal(at, responder.PositionAt);
    }

    [Fact]
    public async Task AResponderWithADeviceOfTheirOwnIsFoundWhereTheDeviceIs()
    {
        var origin = new LocalProjection(20 + Random.Shared.NextDouble() * 20, 90 + Random.Shared.NextDouble() * 8);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (homeLat, homeLon) = origin.Unproject(5000, 0);
        await Node.PostAsync<object>("/api/responders", new { id = $"vol-{tag}", name = "志愿者", kind = "volunteer", home = new { lat = homeLat, lon = homeLon } });
        var device = await Node.PostAsync<DeviceRegistration>($"/api/responders/vol-{tag}/devices", new { id = $"phone-{tag}", kind = "handset" });
        await using var phone = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        var (lat, lon) = origin.Unproject(0, 250);

        await phone.PublishAsync($"devices/{device.Id}/telemetry", Reading(DateTimeOffset.UtcNow, lat, lon, 10));
        var (originLat, originLon) = origin.Unproject(0, 0);
        var nearest = await TestNode.EventuallyAsync(
            () => Node.GetAsync<List<NearbyResponder>>(FormattableString.Invariant($"/api/responders/nearest?lat={originLat}&lon={originLon}")),
            n => n.Any(r => r.Id == $"vol-{tag}" && r.PositionSource == "live"), "the responder's live position from their device");
        // The responder's own device has no elder to raise for: its SOS is refused out loud, never acknowledged into nothing.
        var sos = await phone.PublishEventAsync(Scenario.SosJson("r-1"));
        var door = await phone.PublishEventAsync(Scenario.SosJson("r-2", type: "door"));

        var responder = nearest.Single(r => r.Id == $"vol-{tag}");
        Assert.Equal(250, responder.DistanceMetres, 0);
        Assert.Equal(Guid.Empty, device.ElderId);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, sos.ReasonCode);
        Assert.Contains("responder", sos.ReasonString);
        Assert.True(door.IsSuccess, door.ReasonCode.ToString());
    }

    [Fact]
    public async Task VisitsCheckedInAtTheHomeCountTimeOnSiteAndThoseAwayAreFlagged()
    {
        var elder = await Node.CreateElderAsync();
        await PostFenceAsync(elder.Id, Feature(Shapes.PointJson(), "家", "safe", radius: 60, home: true));
        var atDoor = Shapes.At(70, 0);  // 10 m outside the circle, within the 20 m accuracy: at the home.
        var street = Shapes.At(400, 0); // 340 m outside: away.

        var onSite = await Node.PostAsync<VisitResponse>("/api/visits", new { elderId = elder.Id, workerId = "cw-1", position = new { lat = atDoor.Lat, lon = atDoor.Lon, acc = 20 } });
        var away = await Node.PostAsync<VisitResponse>("/api/visits", new { elderId = elder.Id, workerId = "cw-2", position = new { lat = street.Lat, lon = street.Lon, acc = 20 } });
        var blind = await Node.PostAsync<VisitResponse>("/api/visits", new { elderId = elder.Id, workerId = "cw-3", position = new { lat = atDoor.Lat, lon = atDoor.Lon } });
        await Node.PostAsync<VisitResponse>($"/api/visits/{onSite.Visit.Id}/check-out", new { workerId = "cw-1", position = new { lat = Shapes.HomeLat, lon = Shapes.HomeLon, acc = 10 } });
        using var twice = await Node.Http.PostAsJsonAsync($"/api/visits/{onSite.Visit.Id}/check-out", new { workerId = "cw-1" }, TestNode.Json);

        var visits = await Node.GetAsync<List<VisitResponse>>($"/api/visits?elderId={elder.Id}");

        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal([VisitPlace.AtHome, VisitPlace.AwayFromHome, VisitPlace.Unverified], visits.Select(v => v.Visit.CheckInPlace));
        Assert.Equal([false, true, true], visits.Select(v => v.Flagged));
        Assert.NotNull(visits[0].MinutesOnSite);
        Assert.Null(visits[1].MinutesOnSite);
        Assert.Equal(VisitPlace.AwayFromHome, away.Visit.CheckInPlace);
        Assert.Equal(VisitPlace.Unverified, blind.Visit.CheckInPlace);
    }

    [Fact]
    public async Task AnEldersOwnSettingsReplaceTheDefaultsAndBadOnesAreNamed()
    {
        var elder = await Node.CreateElderAsync();

        var defaults = await Node.GetAsync<GeofenceSettings>($"/api/elders/{elder.Id}/geofence-settings");
        using var bad = await Node.Http.PutAsJsonAsync($"/api/elders/{elder.Id}/geofence-settings", new { timeZone = "Mars/Olympus", confirmFixes = 0 }, TestNode.Json);
        using var good = await Node.Http.PutAsJsonAsync($"/api/elders/{elder.Id}/geofence-settings", new { timeZone = "Asia/Urumqi", confirmFixes = 5 }, TestNode.Json);
        var own = await Node.GetAsync<GeofenceSettings>($"/api/elders/{elder.Id}/geofence-settings");

        Assert.Equal(("Asia/Shanghai", 3, 25.0), (defaults.TimeZone, defaults.ConfirmFixes, defaults.Margin));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync();
        Assert.Contains("timeZone", problem);
        Assert.Contains("confirmFixes", problem);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(("Asia/Urumqi", 5, 25.0, TimeSpan.FromSeconds(60)), (own.TimeZone, own.ConfirmFixes, own.Margin, own.ConfirmAfter));
    }

    private async Task PostFenceAsync(Guid elderId, string feature)
    {
        using var response = await Node.Http.PostAsync($"/api/elders/{elderId}/geofences", Json(feature));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<System.Threading.Channels.Channel<string>> ListenAsync(MqttDevice device)
    {
        var channel = System.Threading.Channels.Channel.CreateUnbounded<string>();
        device.Client.ApplicationMessageReceivedAsync += e =>
        {
            var payload = e.ApplicationMessage.ConvertPayloadToString();
            if (payload.Contains("\"type\":\"config\""))
            {
                channel.Writer.TryWrite(payload);
            }

            return Task.CompletedTask;
        };
        await device.Client.SubscribeAsync($"devices/{device.Id}/commands", MqttQualityOfServiceLevel.AtLeastOnce);
        return channel;
    }

    private static string Reading(DateTimeOffset ts, double lat, double lon, double acc) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"ts":"{{ts:O}}","lat":{{lat}},"lon":{{lon}},"acc":{{acc}}}""");

    private static string Feature(string geometry, string name, string kind, double? radius = null, bool home = false, string? schedule = null)
    {
        var properties = new JsonObject { ["name"] = name, ["kind"] = kind, ["home"] = home };
        if (radius is { } r)
        {
            properties["radius"] = r;
        }

        if (schedule is not null)
        {
            properties["schedule"] = JsonNode.Parse(schedule);
        }

        return new JsonObject { ["type"] = "Feature", ["geometry"] = JsonNode.Parse(geometry), ["properties"] = properties }.ToJsonString();
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static JsonNode Rounded(JsonNode node) => node switch
    {
        JsonArray array => new JsonArray([.. array.Select(n => Rounded(n!))]),
        _ => JsonValue.Create(Math.Round(node.GetValue<double>(), 7)),
    };
}
