using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ElderIoT.Api.Elders;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>
/// The node's own OpenAPI document is the contract a dashboard is built against. A dashboard's whole
/// day of traffic goes through Prism as a validating proxy of that document; Prism reports every
/// request or response that the document does not describe (header <c>sl-violations</c>), and any
/// such report fails the test, naming the call.
/// </summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
public sealed class ApiContractTests : IAsyncLifetime
{
    private readonly List<string> _violations = [];
    private TestNode _node = null!;
    private ExternalProcess _proxy = null!;
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync();
        var spec = Path.Combine(_node.DataDirectory, "openapi.json");
        await File.WriteAllTextAsync(spec, await _node.Http.GetStringAsync("/openapi/v1.json"));
        Uri proxyUrl;
        (_proxy, proxyUrl) = await PrismMock.StartAsync(port => ["proxy", "-h", "127.0.0.1", "-p", port.ToString(), spec, _node.Http.BaseAddress!.ToString().TrimEnd('/')], spec);
        _api = new HttpClient { BaseAddress = proxyUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _proxy.DisposeAsync();
        await _node.DisposeAsync();
    }

    [Fact]
    public async Task EveryCallOfADispatchDayMatchesTheOpenApiDocument()
    {
        // Records: a minimal elder (only the required fields), a full one, a refused one, lists and updates.
        var minimal = await ExpectAsync<ElderResponse>(HttpMethod.Post, "/api/elders", HttpStatusCode.Created, new { name = "张桂兰", address = "南京市鼓楼区中山路1号", district = "南京市/鼓楼区" });
        var elder = await ExpectAsync<ElderResponse>(HttpMethod.Post, "/api/elders", HttpStatusCode.Created, Scenario.ElderBody(contacts: 2));
        await ExpectAsync(HttpMethod.Post, "/api/elders", HttpStatusCode.BadRequest, new { name = "", address = "x", district = "南京市" });
        await ExpectAsync(HttpMethod.Get, "/api/elders?district=" + Uri.EscapeDataString("南京市/鼓楼区") + "&limit=10", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Get, $"/api/elders/{minimal.Id}", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Get, $"/api/elders/{Guid.NewGuid()}", HttpStatusCode.NotFound);
        await ExpectAsync(HttpMethod.Put, $"/api/elders/{minimal.Id}", HttpStatusCode.OK, new { name = "张桂兰", address = "南京市鼓楼区中山路2号", district = "南京市/鼓楼区", careLevel = "nursing" });

        // Devices.
        var deviceId = $"w-{Guid.NewGuid():N}"[..20];
        var device = await ExpectAsync<Contracts.Devices.DeviceRegistration>(HttpMethod.Post, "/api/devices", HttpStatusCode.Created, new { id = deviceId, kind = "watch", elderId = elder.Id });
        await ExpectAsync(HttpMethod.Post, "/api/devices", HttpStatusCode.Conflict, new { id = deviceId, kind = "watch", elderId = elder.Id });
        await ExpectAsync(HttpMethod.Post, "/api/devices", HttpStatusCode.BadRequest, new { id = "a/b", kind = "robot", elderId = elder.Id });
        await ExpectAsync(HttpMethod.Get, $"/api/devices/{deviceId}", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Get, "/api/devices/no-such-device", HttpStatusCode.NotFound);
        var spare = await ExpectAsync<Contracts.Devices.DeviceRegistration>(HttpMethod.Post, "/api/devices", HttpStatusCode.Created, new { id = $"s-{Guid.NewGuid():N}"[..20], kind = "sensor", elderId = elder.Id });
        await ExpectAsync(HttpMethod.Post, $"/api/devices/{spare.Id}/secret", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Post, $"/api/devices/{spare.Id}/disable", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Post, $"/api/devices/{spare.Id}/enable", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Get, $"/api/devices/{spare.Id}/credential-changes", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Post, "/api/devices/no-such-device/secret", HttpStatusCode.NotFound);
        await ExpectAsync(HttpMethod.Post, "/api/devices/no-such-device/disable", HttpStatusCode.NotFound);
        await ExpectAsync(HttpMethod.Get, "/api/devices/no-such-device/credential-changes", HttpStatusCode.NotFound);

        // A seat on duty; the elder's watch reports and presses SOS.
        var seat = $"seat-{Guid.NewGuid():N}"[..16];
        await ExpectAsync(HttpMethod.Post, $"/api/seats/{seat}/online", HttpStatusCode.OK, new { districts = new[] { "南京市/鼓楼区" } });
        await ExpectAsync(HttpMethod.Get, $"/api/seats/{seat}", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Get, "/api/seats", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Get, "/api/centre", HttpStatusCode.OK);
        await using (var watch = await MqttDevice.ConnectAsync(_node.MqttPort, device.Id, device.Secret))
        {
            var now = DateTimeOffset.UtcNow;
            await watch.PublishAsync($"devices/{device.Id}/telemetry", $$"""[{"ts":"{{now.AddSeconds(-2):O}}","lat":32.0603,"lon":118.7969,"acc":15,"hr":72,"spo2":97,"battery":80,"worn":true},{"ts":"{{now.AddSeconds(-1):O}}","hr":74}]""");
            Assert.True((await watch.PublishEventAsync(Scenario.SosJson("c-1"))).IsSuccess);
            await ExpectAsync(HttpMethod.Post, $"/api/devices/{deviceId}/commands", HttpStatusCode.Accepted, new { type = "ping" });
        }

        // The alarm through its life: listed, read, taken, refused to a second seat, closed.
        var alarms = await TestNode.EventuallyAsync(
            () => ExpectAsync<List<JsonElement>>(HttpMethod.Get, $"/api/alarms?elderId={elder.Id}", HttpStatusCode.OK),
            list => list.Count == 1, "the SOS alarm");
        var alarmId = alarms[0].GetProperty("alarm").GetProperty("id").GetGuid();
        await ExpectAsync(HttpMethod.Get, "/api/alarms?status=open&district=" + Uri.EscapeDataString("南京市"), HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Get, "/api/alarms?status=burning", HttpStatusCode.BadRequest);
        await ExpectAsync(HttpMethod.Get, $"/api/alarms/{alarmId}", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Get, $"/api/alarms/{Guid.NewGuid()}", HttpStatusCode.NotFound);
        var seatToken = TestTokens.Seat(seat, "南京市/鼓楼区");
        var anotherSeat = TestTokens.Seat("another-seat", "南京市/鼓楼区");
        await ExpectAsync(HttpMethod.Get, $"/api/alarms/{alarmId}", HttpStatusCode.OK, token: seatToken);
        await ExpectAsync(HttpMethod.Post, $"/api/alarms/{alarmId}/accept", HttpStatusCode.OK, token: seatToken);
        await ExpectAsync(HttpMethod.Post, $"/api/alarms/{alarmId}/accept", HttpStatusCode.Conflict, token: anotherSeat);
        await ExpectAsync(HttpMethod.Post, $"/api/alarms/{Guid.NewGuid()}/accept", HttpStatusCode.NotFound, token: seatToken);
        await ExpectAsync(HttpMethod.Post, $"/api/alarms/{alarmId}/accept", HttpStatusCode.Forbidden, token: TestTokens.Seat("far-seat", "上海市"));
        await ExpectAsync(HttpMethod.Get, $"/api/elders/{elder.Id}", HttpStatusCode.OK, token: seatToken);
        // Notes before resolving: written, refused naming the field, unknown, out of a seat's districts.
        await ExpectAsync(HttpMethod.Post, $"/api/alarms/{alarmId}/notes", HttpStatusCode.OK, new { text = "called the daughter, on her way" }, token: seatToken);
        await ExpectAsync(HttpMethod.Post, $"/api/alarms/{alarmId}/notes", HttpStatusCode.OK, new { text = "supervisor: keep me posted" });
        await ExpectAsync(HttpMethod.Post, $"/api/alarms/{alarmId}/notes", HttpStatusCode.BadRequest, new { text = "  " }, token: seatToken);
        await ExpectAsync(HttpMethod.Post, $"/api/alarms/{Guid.NewGuid()}/notes", HttpStatusCode.NotFound, new { text = "x" }, token: seatToken);
        await ExpectAsync(HttpMethod.Post, $"/api/alarms/{alarmId}/notes", HttpStatusCode.Forbidden, new { text = "x" }, token: TestTokens.Seat("far-seat", "上海市"));
        await ExpectAsync(HttpMethod.Post, $"/api/alarms/{alarmId}/resolve", HttpStatusCode.BadRequest, new { outcome = "fixed" }, token: seatToken);
        await ExpectAsync(HttpMethod.Post, $"/api/alarms/{alarmId}/resolve", HttpStatusCode.Conflict, new { outcome = "false_alarm" }, token: anotherSeat);
        await ExpectAsync(HttpMethod.Post, $"/api/alarms/{alarmId}/resolve", HttpStatusCode.OK, new { outcome = "real_emergency", notes = "fell in the kitchen" }, token: seatToken);
        await ExpectAsync(HttpMethod.Post, $"/api/alarms/{alarmId}/resolve", HttpStatusCode.Forbidden, new { outcome = "false_alarm" }, token: anotherSeat);
        await ExpectAsync(HttpMethod.Post, $"/api/alarms/{alarmId}/notes", HttpStatusCode.Conflict, new { text = "too late" }, token: seatToken);
        await ExpectAsync(HttpMethod.Get, $"/api/elders/{elder.Id}", HttpStatusCode.Forbidden, token: seatToken);
        await ExpectAsync(HttpMethod.Get, $"/api/notifications?alarmId={alarmId}", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Get, "/api/notifications?status=not_sent&channel=sms&district=" + Uri.EscapeDataString("南京市") + "&limit=10&offset=0", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Get, "/api/notifications?status=burning", HttpStatusCode.BadRequest);
        // The list across alarms is the supervisors': a seat sees an alarm's notifications only.
        await ExpectAsync(HttpMethod.Get, "/api/notifications?status=failed", HttpStatusCode.Forbidden, token: seatToken);

        // The call-back (回访) the real emergency scheduled: listed, its result recorded once.
        var callbacks = await ExpectAsync<List<JsonElement>>(HttpMethod.Get, "/api/callbacks?status=pending&district=" + Uri.EscapeDataString("南京市"), HttpStatusCode.OK, token: seatToken);
        var callbackId = callbacks.Single(c => c.GetProperty("alarmId").GetGuid() == alarmId).GetProperty("id").GetGuid();
        await ExpectAsync(HttpMethod.Get, "/api/callbacks?overdue=true", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Get, "/api/callbacks?status=late", HttpStatusCode.BadRequest);
        await ExpectAsync(HttpMethod.Post, $"/api/callbacks/{callbackId}/result", HttpStatusCode.BadRequest, new { result = "fine" }, token: seatToken);
        await ExpectAsync(HttpMethod.Post, $"/api/callbacks/{callbackId}/result", HttpStatusCode.OK, new { result = "reached_well", notes = "doing well" }, token: seatToken);
        await ExpectAsync(HttpMethod.Post, $"/api/callbacks/{callbackId}/result", HttpStatusCode.Conflict, new { result = "reached_well" }, token: seatToken);
        await ExpectAsync(HttpMethod.Post, $"/api/callbacks/{Guid.NewGuid()}/result", HttpStatusCode.NotFound, new { result = "reached_well" }, token: seatToken);

        // The supervisor's service level of the day, as JSON and as CSV.
        await ExpectAsync(HttpMethod.Get, "/api/reports/service-level?district=" + Uri.EscapeDataString("南京市"), HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Get, "/api/reports/service-level?format=csv", HttpStatusCode.OK, accept: "text/csv");
        await ExpectAsync(HttpMethod.Get, "/api/reports/service-level?depth=0", HttpStatusCode.BadRequest);

        // A care broadcast: consent, preview, send, follow.
        await ExpectAsync(HttpMethod.Put, $"/api/elders/{elder.Id}/consent", HttpStatusCode.OK, new { shareLocationWithFamily = true, shareHealthWithFamily = false, careMessages = true });
        await ExpectAsync(HttpMethod.Post, "/api/broadcasts/preview", HttpStatusCode.OK, new { districtPrefix = "南京市", minAge = 60, careLevels = new[] { "assisted" } });
        await ExpectAsync(HttpMethod.Post, "/api/broadcasts", HttpStatusCode.Accepted, new { text = "明日有寒潮，请注意保暖。", audience = new { districtPrefix = "南京市/无人区" } });
        await ExpectAsync(HttpMethod.Post, "/api/broadcasts", HttpStatusCode.BadRequest, new { text = "", audience = new { minAge = 200 } });
        await ExpectAsync(HttpMethod.Get, "/api/broadcasts", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Get, $"/api/broadcasts/{Guid.NewGuid()}", HttpStatusCode.NotFound);

        // History as the elder's card shows it.
        var range = $"from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}";
        await ExpectAsync(HttpMethod.Get, $"/api/elders/{elder.Id}/positions?{range}", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Get, $"/api/elders/{elder.Id}/positions/geojson?{range}", HttpStatusCode.OK, accept: "application/geo+json");
        await ExpectAsync(HttpMethod.Get, $"/api/elders/{elder.Id}/vitals?metric=hr&interval=5m&{range}", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Get, $"/api/elders/{elder.Id}/vitals?metric=mood", HttpStatusCode.BadRequest);
        await ExpectAsync(HttpMethod.Get, $"/api/elders/{elder.Id}/events?{range}", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Get, $"/api/devices/{deviceId}/telemetry?{range}&limit=50", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Get, $"/api/devices/{deviceId}/telemetry?{range}&format=csv", HttpStatusCode.OK, accept: "text/csv");
        await ExpectAsync(HttpMethod.Get, "/api/system/stats", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Post, $"/api/seats/{seat}/offline", HttpStatusCode.OK);

        // People: signing in, who one is, users, consent, the family view and the audit trail.
        await ExpectAsync(HttpMethod.Post, "/api/auth/token", HttpStatusCode.Unauthorized, new { userName = "admin", password = "not-the-password" }, token: "");
        var signedIn = await ExpectAsync<JsonElement>(HttpMethod.Post, "/api/auth/token", HttpStatusCode.OK, new { userName = "admin", password = TestTokens.AdminPassword }, token: "");
        await ExpectAsync(HttpMethod.Get, "/api/auth/me", HttpStatusCode.OK, token: signedIn.GetProperty("accessToken").GetString());
        await ExpectAsync(HttpMethod.Get, "/api/auth/me", HttpStatusCode.Unauthorized, token: "");
        await ExpectAsync(HttpMethod.Post, "/api/users", HttpStatusCode.Created, new { userName = "li.family", password = "a-long-family-password", role = "family", elderId = elder.Id });
        await ExpectAsync(HttpMethod.Post, "/api/users", HttpStatusCode.Conflict, new { userName = "li.family", password = "a-long-family-password", role = "family", elderId = elder.Id });
        await ExpectAsync(HttpMethod.Post, "/api/users", HttpStatusCode.BadRequest, new { userName = "no seat", password = "short", role = "seat" });
        await ExpectAsync(HttpMethod.Get, "/api/users", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Put, "/api/users/li.family", HttpStatusCode.OK, new { role = "family", elderId = elder.Id, disabled = false });
        await ExpectAsync(HttpMethod.Put, "/api/users/nobody", HttpStatusCode.NotFound, new { role = "family", elderId = elder.Id });
        await ExpectAsync(HttpMethod.Get, "/api/users", HttpStatusCode.Forbidden, token: seatToken);
        await ExpectAsync(HttpMethod.Put, $"/api/elders/{elder.Id}/consent", HttpStatusCode.OK, new { shareLocationWithFamily = true, shareHealthWithFamily = false });
        await ExpectAsync(HttpMethod.Get, $"/api/elders/{elder.Id}/consent", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Get, "/api/family/elder", HttpStatusCode.OK, token: TestTokens.For(Api.Access.AccessRole.Family, "li.family", elderId: elder.Id));
        await ExpectAsync(HttpMethod.Get, $"/api/audit?elderId={elder.Id}&limit=20", HttpStatusCode.OK);
        await ExpectAsync(HttpMethod.Get, "/api/audit?limit=0", HttpStatusCode.BadRequest);

        // A rule's alarm: the readings that fired it and their limit are on the alarm as the document describes them.
        var ruleWatch = await ExpectAsync<Contracts.Devices.DeviceRegistration>(HttpMethod.Post, "/api/devices", HttpStatusCode.Created, new { id = $"w-{Guid.NewGuid():N}"[..20], kind = "watch", elderId = minimal.Id });
        await using (var watch = await MqttDevice.ConnectAsync(_node.MqttPort, ruleWatch.Id, ruleWatch.Secret))
        {
            var now = DateTimeOffset.UtcNow;
            for (var i = 3; i > 0; i--)
            {
                await watch.PublishAsync($"devices/{ruleWatch.Id}/telemetry", $$"""{"ts":"{{now.AddSeconds(-10 * i):O}}","hr":30}""");
            }
        }

        var ruleAlarms = await TestNode.EventuallyAsync(
            () => ExpectAsync<List<JsonElement>>(HttpMethod.Get, $"/api/alarms?elderId={minimal.Id}", HttpStatusCode.OK), list => list.Count == 1, "the vitals alarm");
        var ruleAlarm = await ExpectAsync<JsonElement>(HttpMethod.Get, $"/api/alarms/{ruleAlarms[0].GetProperty("alarm").GetProperty("id").GetGuid()}", HttpStatusCode.OK);
        Assert.Equal(3, ruleAlarm.GetProperty("alarm").GetProperty("findings")[0].GetProperty("detail").GetProperty("readings").GetArrayLength());

        Assert.True(_violations.Count == 0, "Calls the OpenAPI document does not describe:\n" + string.Join("\n", _violations));
    }

    private async Task<T> ExpectAsync<T>(HttpMethod method, string path, HttpStatusCode expected, object? body = null, string? token = null)
    {
        var text = await ExpectAsync(method, path, expected, body, token: token);
        return JsonSerializer.Deserialize<T>(text, TestNode.Json)!;
    }

    /// <summary>One call as <paramref name="token"/> (the admin when null, nobody when empty).</summary>
    private async Task<string> ExpectAsync(HttpMethod method, string path, HttpStatusCode expected, object? body = null, string accept = "application/json", string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        token ??= TestTokens.Admin;
        if (token.Length > 0)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        // As a dashboard would: the validator picks the response's media type by Accept.
        request.Headers.Accept.ParseAdd(accept);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, TestNode.Json), Encoding.UTF8, "application/json");
        }

        using var response = await _api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
        if (response.Headers.TryGetValues("sl-violations", out var violations))
        {
            foreach (var violation in JsonSerializer.Deserialize<JsonElement>(string.Concat(violations)).EnumerateArray())
            {
                // A call made wrong on purpose breaks the request side of the contract; its answer must still fit the document.
                if ((int)expected is >= 400 and < 500 && violation.GetProperty("location")[0].GetString() == "request")
                {
                    continue;
                }

                _violations.Add($"{method} {path} → {(int)response.StatusCode}: {violation.GetProperty("location")} {violation.GetProperty("message").GetString()}");
            }
        }

        return text;
    }
}
