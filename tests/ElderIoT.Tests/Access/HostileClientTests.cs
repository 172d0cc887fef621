using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ElderIoT.Api.Access;
using ElderIoT.Api.Elders;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.Access;

/// <summary>The findings of a hostile client, each tried again: with no token, with the wrong role, as the wrong seat.</summary>
public sealed class HostileClientTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private TestNode Node => fixture.Node;

    private static HttpClient Anonymous(TestNode node) => new() { BaseAddress = node.Http.BaseAddress };

    [Fact]
    public async Task AFakeSeatWithoutATokenNeitherGoesOnDutyNorHearsAnyAlarm()
    {
        using var http = Anonymous(Node);

        using var online = await http.PostAsJsonAsync("/api/seats/fake/online", new { districts = new[] { "南京市" } });
        using var stream = await http.GetAsync("/api/seats/fake/stream", HttpCompletionOption.ResponseHeadersRead);
        using var alarms = await http.GetAsync("/api/alarms");
        var status = await Node.GetAsync<Contracts.Seats.SeatStatus>("/api/seats/fake");

        Assert.Equal(HttpStatusCode.Unauthorized, online.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stream.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, alarms.StatusCode);
        Assert.False(status.Online);
    }

    [Fact]
    public async Task AScreenThatCannotSetHeadersListensWithItsTokenInTheQueryAndListsOnlyItsDistrictsAlarms()
    {
        using var http = Anonymous(Node);
        var token = TestTokens.Seat("seat-browser", "南京市/秦淮区");
        var elsewhere = TestTokens.Seat("seat-shanghai", "上海市");

        using var stream = await http.GetAsync($"/api/seats/seat-browser/stream?access_token={token}", HttpCompletionOption.ResponseHeadersRead);
        using var notOnOtherPaths = await http.GetAsync($"/api/alarms?access_token={token}");
        var mine = await Node.As(token).GetAsync<List<Api.Alarms.AlarmListItem>>("/api/alarms?status=open");
        var theirs = await Node.As(elsewhere).GetAsync<List<Api.Alarms.AlarmListItem>>("/api/alarms");

        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, notOnOtherPaths.StatusCode);
        Assert.Contains(mine, a => a.Alarm.Id == fixture.AlarmId);
        Assert.All(mine, a => Assert.StartsWith("南京市/秦淮区", a.Alarm.District));
        Assert.Empty(theirs);
    }

    [Fact]
    public async Task ASeatGoesOnDutyOnlyForItsOwnDistrictsAndOnlyAsItself()
    {
        using var seat = Node.AsSeat("seat-gulou", "南京市/鼓楼区");

        using var wholeCity = await seat.Http.PostAsJsonAsync("/api/seats/seat-gulou/online", new { districts = new[] { "南京市" } });
        using var anotherSeat = await seat.Http.PostAsJsonAsync("/api/seats/seat-qinhuai/online", new { districts = new[] { "南京市/鼓楼区" } });
        using var ownStreet = await seat.Http.PostAsJsonAsync("/api/seats/seat-gulou/online", new { districts = new[] { "南京市/鼓楼区/宁海路街道" } });
        var others = await Node.GetAsync<Contracts.Seats.SeatStatus>("/api/seats/seat-qinhuai");

        Assert.Equal(HttpStatusCode.Forbidden, wholeCity.StatusCode);
        Assert.Contains("南京市", await wholeCity.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, anotherSeat.StatusCode);
        Assert.False(others.Online);
        Assert.Equal(HttpStatusCode.OK, ownStreet.StatusCode);
    }

    [Fact]
    public async Task ASeatOfAnotherDistrictCannotCloseALiveSosAndASeatTakesItOnlyAsItself()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync(AccessFixture.District);
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        await watch.PublishEventAsync(Scenario.SosJson("hostile-1"));
        var alarmId = Assert.Single(await Node.GetAsync<List<Api.Alarms.AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm.Id;
        using var stranger = Node.AsSeat("seat-never-on-duty", "上海市");
        using var seat = Node.AsSeat("seat-qinhuai-1", "南京市/秦淮区");

        using var accept = await stranger.Http.PostAsJsonAsync($"/api/alarms/{alarmId}/accept", new { seatId = "seat-qinhuai-1" });
        using var resolve = await stranger.Http.PostAsJsonAsync($"/api/alarms/{alarmId}/resolve", new { seatId = "seat-qinhuai-1", outcome = "false_alarm" });
        var stillOpen = await Node.GetAsync<JsonElement>($"/api/alarms/{alarmId}");
        // A body naming another seat changes nothing: the seat is the one signed in.
        var taken = await seat.PostAsync<AlarmSnapshot>($"/api/alarms/{alarmId}/accept", new { seatId = "seat-someone-else" });

        Assert.Equal(HttpStatusCode.Forbidden, accept.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, resolve.StatusCode);
        Assert.Equal("open", stillOpen.GetProperty("alarm").GetProperty("status").GetString());
        Assert.Equal("seat-qinhuai-1", taken.AcceptedBy);
    }

    [Fact]
    public async Task AConflictDoesNotTellASeatWhoHoldsTheAlarmButTellsTheSupervisor()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync(AccessFixture.District);
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        await watch.PublishEventAsync(Scenario.SosJson("conflict-1"));
        var alarmId = Assert.Single(await Node.GetAsync<List<Api.Alarms.AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm.Id;
        await Node.AsSeat("seat-holder-7", "南京市/秦淮区").PostAsync<AlarmSnapshot>($"/api/alarms/{alarmId}/accept");

        using var colleague = await Node.AsSeat("seat-colleague", "南京市/秦淮区").Http.PostAsJsonAsync($"/api/alarms/{alarmId}/accept", new { });
        using var supervisor = await Node.As(TestTokens.For(AccessRole.Supervisor, "sup", seatId: "seat-sup")).Http.PostAsJsonAsync($"/api/alarms/{alarmId}/accept", new { });

        Assert.Equal(HttpStatusCode.Conflict, colleague.StatusCode);
        Assert.DoesNotContain("seat-holder-7", await colleague.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, supervisor.StatusCode);
        Assert.Contains("seat-holder-7", await supervisor.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(AccessRole.Seat, HttpStatusCode.Forbidden)]
    [InlineData(AccessRole.Installer, HttpStatusCode.Forbidden)]
    [InlineData(AccessRole.Family, HttpStatusCode.Forbidden)]
    public async Task AnElderAndTheirFamilysPhoneAreChangedOnlyBySupervisorsAndAdmins(AccessRole? role, HttpStatusCode expected)
    {
        var elder = await Node.CreateElderAsync(AccessFixture.District);
        using var http = role is { } r ? TestTokens.Client(Node.Http.BaseAddress!, TestTokens.For(r, "intruder", seatId: "seat-intruder", elderId: elder.Id, districts: ["南京市"])) : Anonymous(Node);
        var body = new { name = elder.Name, address = elder.Address, district = elder.District, contacts = new[] { new { name = "骗子", relation = "儿子", phone = "+8613999999999" } } };

        using var response = await http.PutAsJsonAsync($"/api/elders/{elder.Id}", body);
        var after = await Node.GetAsync<ElderResponse>($"/api/elders/{elder.Id}");

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(elder.Contacts.Select(c => c.Phone), after.Contacts.Select(c => c.Phone));
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(AccessRole.Seat, HttpStatusCode.Forbidden)]
    [InlineData(AccessRole.Supervisor, HttpStatusCode.Forbidden)]
    [InlineData(AccessRole.Family, HttpStatusCode.Forbidden)]
    [InlineData(AccessRole.Installer, HttpStatusCode.Created)]
    public async Task OnlyAnInstallerOrAnAdminRegistersADeviceAndSeesItsSecret(AccessRole? role, HttpStatusCode expected)
    {
        var elder = await Node.CreateElderAsync(AccessFixture.District);
        using var http = role is { } r ? TestTokens.Client(Node.Http.BaseAddress!, TestTokens.For(r, "someone", seatId: "seat-someone", elderId: elder.Id, districts: ["南京市"])) : Anonymous(Node);
        var id = $"w-{Guid.NewGuid():N}"[..20];

        using var response = await http.PostAsJsonAsync("/api/devices", new { id, kind = "watch", elderId = elder.Id });

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.Created, (await response.Content.ReadAsStringAsync()).Contains("\"secret\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnInstallerSeesADevicesBatteryButNotWhereTheElderIsOrTheirHeartRate()
    {
        var (_, device) = await Node.ElderWithDeviceAsync(AccessFixture.District);
        await using (var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret))
        {
            await watch.PublishAsync($"devices/{device.Id}/telemetry", $$"""[{"ts":"{{DateTimeOffset.UtcNow:O}}","lat":32.0201,"lon":118.7901,"acc":10,"hr":77,"battery":64}]""");
        }

        var full = await TestNode.EventuallyAsync(() => Node.GetAsync<DeviceStatus>($"/api/devices/{device.Id}"), s => s.LastPosition is not null && s.HeartRate is not null, "the reading");
        var installer = await Node.As(TestTokens.For(AccessRole.Installer, "fitter")).GetAsync<DeviceStatus>($"/api/devices/{device.Id}");

        Assert.Equal(64, installer.Battery);
        Assert.Null(installer.LastPosition);
        Assert.Null(installer.HeartRate);
        Assert.NotNull(full.LastPosition);
    }

    [Fact]
    public async Task CommandsAreKnownTypesOfBoundedSizeSentOnlyByTheRolesAllowed()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync(AccessFixture.District);
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        await watch.PublishEventAsync(Scenario.SosJson("command-sos"));
        await TestNode.EventuallyAsync(() => Node.GetAsync<List<Api.Alarms.AlarmListItem>>($"/api/alarms?elderId={elder.Id}"), a => a.Count == 1, "the alarm");
        var path = $"/api/devices/{device.Id}/commands";
        var huge = "{\"type\":\"factory_reset\",\"pad\":\"" + new string('x', 20 * 1024 * 1024) + "\"}";
        using var handling = Node.AsSeat("seat-handling", "南京市/秦淮区");
        using var installer = Node.As(TestTokens.For(AccessRole.Installer, "fitter"));
        using var supervisor = Node.As(TestTokens.For(AccessRole.Supervisor, "sup"));
        using var anonymous = Anonymous(Node);

        async Task<HttpStatusCode> SendAsync(HttpClient http, string json)
        {
            // As a careful client sends a large body: the server refuses it before a byte of it travels.
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.ExpectContinue = json.Length > 100_000;
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(anonymous, huge));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await SendAsync(installer.Http, huge));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(handling.Http, """{"type":"factory_reset"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(supervisor.Http, """{"type":"factory_reset"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await SendAsync(Node.Http, """{"type":"self_destruct"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await SendAsync(Node.Http, """{"type":"alarm_accepted","alarmId":"00000000-0000-0000-0000-000000000001"}"""));
        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(handling.Http, """{"type":"locate"}"""));
        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(installer.Http, """{"type":"factory_reset"}"""));
        var sent = await Node.GetAsync<List<DeviceCommandStatus>>(path);
        Assert.Equal(["factory_reset", "locate"], sent.Select(c => c.Type).Order());
    }
}
