using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>
/// The REST edges a hostile or careless client finds, probed over HTTP against the real node: each
/// refusal is a 4xx ProblemDetails naming the field and the form expected, and is counted in
/// <c>elderiot.api.requests_refused{reason}</c>; nothing a client sends gives a 500.
/// </summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(NodeCollection.Name)]
public sealed class RestEdgeTests(NodeFixture fixture)
{
    private const string Refused = "elderiot.api.requests_refused";

    private TestNode Node => fixture.Node;

    [Theory]
    [InlineData("positions")]
    [InlineData("vitals")]
    [InlineData("events")]
    public async Task AHistoryRangeEndingInTheYearOneIsA400NamingTo(string history)
    {
        var elder = await Node.CreateElderAsync();
        using var refusals = new CounterRecorder(Node, Refused);

        using var response = await Node.Http.GetAsync($"/api/elders/{elder.Id}/{history}?to=0001-01-01");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "to");
        Assert.Equal(1, refusals.Count("reason", "invalid_field"));
    }

    [Theory]
    [InlineData("to=0001-01-01")]
    [InlineData("from=0001-01-01T00:00:00Z&to=0001-01-02")]
    [InlineData("to=99999999999999999999")]
    [InlineData("from=-5")]
    public async Task ADeviceHistoryRangeOutsideTheCalendarIsA400(string query)
    {
        using var response = await Node.Http.GetAsync($"/api/devices/any-device/telemetry?{query}");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, query.Contains("from", StringComparison.Ordinal) ? "from" : "to");
    }

    [Fact]
    public async Task ASeatDistrictOfASlashIsA400NamingTheEntry()
    {
        using var refusals = new CounterRecorder(Node, Refused);

        using var response = await Node.Http.PostAsJsonAsync("/api/seats/seat-slash/online", new { districts = new[] { "南京市/鼓楼区", "/" } });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "districts[1]");
        Assert.Equal(1, refusals.Count("reason", "invalid_field"));
    }

    [Fact]
    public async Task SeatIdsAndDistrictListsAreBounded()
    {
        using var longId = await Node.Http.GetAsync($"/api/seats/{new string('s', 65)}");
        // A seat's id comes from its user record, so a forged one is refused where it is set.
        using var controlInId = await Node.Http.PostAsJsonAsync("/api/users",
            new { userName = "seat-forged", password = "a-long-enough-password", role = "seat", seatId = "seat\r\nforged log line", districts = new[] { "南京市" } });
        using var manyDistricts = await Node.Http.PostAsJsonAsync("/api/seats/seat-many/online",
            new { districts = Enumerable.Range(0, 51).Select(i => $"南京市/区{i}").ToArray() });
        using var longDistrict = await Node.Http.PostAsJsonAsync("/api/seats/seat-long/online", new { districts = new[] { new string('区', 201) } });

        await AssertProblemAsync(longId, HttpStatusCode.BadRequest, "seatId");
        await AssertProblemAsync(controlInId, HttpStatusCode.BadRequest, "seatId");
        await AssertProblemAsync(manyDistricts, HttpStatusCode.BadRequest, "districts");
        await AssertProblemAsync(longDistrict, HttpStatusCode.BadRequest, "districts[0]");
    }

    [Fact]
    public async Task ATwilioCallbackWithOverAThousandFieldsIsA413WithoutReachingAGrain()
    {
        using var refusals = new CounterRecorder(Node, Refused);
        var fields = Enumerable.Range(0, 1100).Select(i => new KeyValuePair<string, string>($"f{i}", "x")).Append(new("MessageStatus", "delivered"));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/notifications/twilio-status?notificationId={Guid.NewGuid()}")
        {
            Content = new FormUrlEncodedContent(fields),
        };
        request.Headers.Add("X-Twilio-Signature", "c2lnbmF0dXJl");

        using var response = await Node.Http.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "body");
        Assert.Equal(1, refusals.Count("reason", "form_too_large"));
    }

    [Fact]
    public async Task ATwilioCallbackWithoutASignatureIsRefusedBeforeItsBodyIsRead()
    {
        using var refusals = new CounterRecorder(Node, Refused);

        using var unsigned = await Node.Http.PostAsync($"/api/notifications/twilio-status?notificationId={Guid.NewGuid()}",
            new FormUrlEncodedContent([new("MessageStatus", "delivered")]));
        using var notAForm = new HttpRequestMessage(HttpMethod.Post, "/api/notifications/twilio-status") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        notAForm.Headers.Add("X-Twilio-Signature", "c2lnbmF0dXJl");
        using var json = await Node.Http.SendAsync(notAForm);

        await AssertProblemAsync(unsigned, HttpStatusCode.Forbidden, "X-Twilio-Signature");
        await AssertProblemAsync(json, HttpStatusCode.UnsupportedMediaType, "body");
        Assert.Equal(1, refusals.Count("reason", "bad_signature"));
        Assert.Equal(1, refusals.Count("reason", "wrong_content_type"));
    }

    [Fact]
    public async Task ABodyLargerThanTheEndpointTakesIsA413()
    {
        using var refusals = new CounterRecorder(Node, Refused);
        var huge = JsonSerializer.Serialize(new { name = new string('名', 100_000) });

        using var response = await Node.Http.PostAsync("/api/elders", new StringContent(huge, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "body");
        Assert.Equal(1, refusals.Count("reason", "body_too_large"));
    }

    [Fact]
    public async Task AnEldersConditionsMedicationsAndContactsAreBounded()
    {
        var body = JsonSerializer.SerializeToNode(Scenario.ElderBody(), TestNode.Json)!.AsObject();
        body["conditions"] = new System.Text.Json.Nodes.JsonArray([.. Enumerable.Range(0, 51).Select(i => (System.Text.Json.Nodes.JsonNode?)$"病{i}")]);
        body["medications"] = new System.Text.Json.Nodes.JsonArray(new string('药', 201));
        body["contacts"] = new System.Text.Json.Nodes.JsonArray(null, new System.Text.Json.Nodes.JsonObject { ["name"] = "A", ["relation"] = "son", ["phone"] = "+8613800000009" });

        using var response = await Node.Http.PostAsJsonAsync("/api/elders", body, TestNode.Json);
        body["contacts"] = new System.Text.Json.Nodes.JsonArray([.. Enumerable.Range(0, 11).Select(i => (System.Text.Json.Nodes.JsonNode?)new System.Text.Json.Nodes.JsonObject
        {
            ["name"] = $"C{i}", ["relation"] = "son", ["phone"] = $"+86138000000{i:D2}",
        })]);
        using var tooMany = await Node.Http.PostAsJsonAsync("/api/elders", body, TestNode.Json);

        var fields = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "conditions");
        Assert.Contains("medications[0]", fields);
        Assert.Contains("contacts[0]", fields);
        await AssertProblemAsync(tooMany, HttpStatusCode.BadRequest, "contacts");
    }

    [Fact]
    public async Task JsonThatIsNotJsonOrNotTheRightShapeIsA400NamingTheField()
    {
        using var refusals = new CounterRecorder(Node, Refused);

        using var broken = await Node.Http.PostAsync("/api/elders", new StringContent("{\"name\":", Encoding.UTF8, "application/json"));
        using var wrongType = await Node.Http.PostAsync("/api/elders", new StringContent("{\"name\":5}", Encoding.UTF8, "application/json"));
        using var empty = await Node.Http.PostAsync("/api/seats/seat-empty/online", new StringContent("", Encoding.UTF8, "application/json"));
        using var text = await Node.Http.PostAsync("/api/elders", new StringContent("name=王", Encoding.UTF8, "text/plain"));

        await AssertProblemAsync(broken, HttpStatusCode.BadRequest, "name"); // where the JSON broke off
        await AssertProblemAsync(wrongType, HttpStatusCode.BadRequest, "name");
        await AssertProblemAsync(empty, HttpStatusCode.BadRequest, "body");
        await AssertProblemAsync(text, HttpStatusCode.UnsupportedMediaType, "body");
        Assert.Equal(3, refusals.Count("reason", "unreadable"));
        Assert.Equal(1, refusals.Count("reason", "wrong_content_type"));
    }

    [Fact]
    public async Task AResolutionNoteOverFourThousandCharactersIsA400NamingNotes()
    {
        using var refusals = new CounterRecorder(Node, Refused);

        using var response = await Node.Http.PostAsJsonAsync($"/api/alarms/{Guid.NewGuid()}/resolve",
            new { outcome = "false_alarm", notes = new string('注', 4001) });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "notes");
        Assert.Equal(1, refusals.Count("reason", "invalid_field"));
    }

    [Fact]
    public async Task QueryParametersThatAreNotWhatTheySayAreA400NamingThem()
    {
        using var badGuid = await Node.Http.GetAsync("/api/notifications?alarmId=not-a-guid");
        using var hugeLimit = await Node.Http.GetAsync("/api/alarms?limit=99999999999");
        using var negativeLimit = await Node.Http.GetAsync("/api/alarms?limit=-1");
        using var negativeOffset = await Node.Http.GetAsync("/api/elders?offset=-1");
        using var notBool = await Node.Http.GetAsync("/api/alarms?overdue=maybe");

        await AssertProblemAsync(badGuid, HttpStatusCode.BadRequest, "alarmId");
        await AssertProblemAsync(hugeLimit, HttpStatusCode.BadRequest, "limit");
        await AssertProblemAsync(negativeLimit, HttpStatusCode.BadRequest, "limit");
        await AssertProblemAsync(negativeOffset, HttpStatusCode.BadRequest, "offset");
        await AssertProblemAsync(notBool, HttpStatusCode.BadRequest, "overdue");
    }

    [Fact]
    public async Task NoEndpointAnswers500WhateverItsParametersAre()
    {
        var elder = await Node.CreateElderAsync();
        string[] hostile =
        [
            "", "-1", "0", "99999999999999999999", "-99999999999", "1e309", "NaN", "not-a-guid", "00000000-0000-0000-0000-000000000000",
            new string('x', 5000), "南京市/鼓楼区", "%00", "%F0%9F%98%80", "%ED%A0%80", "'; DROP TABLE alarms; --", "0001-01-01", "9999-12-31T23:59:59Z",
        ];
        string[] templates =
        [
            "/api/alarms?status={0}", "/api/alarms?district={0}", "/api/alarms?elderId={0}", "/api/alarms?limit={0}", "/api/alarms?overdue={0}",
            "/api/alarms/{0}", "/api/elders?district={0}", "/api/elders?limit={0}&offset={0}", "/api/elders/{0}",
            $"/api/elders/{elder.Id}/positions?from={{0}}&maxPoints={{0}}&format={{0}}", $"/api/elders/{elder.Id}/vitals?metric={{0}}&interval={{0}}",
            $"/api/elders/{elder.Id}/events?from={{0}}&to={{0}}", "/api/devices/{0}", "/api/devices/{0}/telemetry?limit={0}&format={0}",
            "/api/notifications?alarmId={0}", "/api/seats/{0}",
        ];
        var failures = new List<string>();
        foreach (var template in templates)
        {
            foreach (var value in hostile)
            {
                var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, value.Contains('%') ? value : Uri.EscapeDataString(value));
                using var response = await Node.Http.GetAsync(path);
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"GET {path[..Math.Min(path.Length, 120)]} → {(int)response.StatusCode}");
                }
            }
        }

        string[] bodies = ["", "null", "[]", "{}", "\"x\"", "{\"districts\":null}", "{\"districts\":[null]}", "{\"seatId\":null,\"outcome\":5}", "{\"name\":{\"$ref\":1}}", new string('[', 5000)];
        string[] posts = ["/api/elders", $"/api/elders/{elder.Id}", "/api/devices", "/api/seats/s1/online", $"/api/alarms/{Guid.NewGuid()}/accept", $"/api/alarms/{Guid.NewGuid()}/resolve"];
        foreach (var post in posts)
        {
            foreach (var body in bodies)
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = post == $"/api/elders/{elder.Id}" ? await Node.Http.PutAsync(post, content) : await Node.Http.PostAsync(post, content);
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"POST {post} {body[..Math.Min(body.Length, 40)]} → {(int)response.StatusCode}");
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task UnencodedChineseInAQueryIsNotA500()
    {
        var address = Node.Http.BaseAddress!;
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes($"GET /api/alarms?district=南京市/鼓楼区 HTTP/1.1\r\nHost: {address.Authority}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream);

        var statusLine = await reader.ReadLineAsync() ?? "";

        Assert.Matches("^HTTP/1.1 [24]", statusLine);
    }

    /// <summary>Asserts the status, that the body is a ProblemDetails, and that it names the field; returns every field named.</summary>
    private static async Task<HashSet<string>> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        var fields = problem.TryGetProperty("errors", out var errors)
            ? errors.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase)
            : [];
        Assert.True(fields.Contains(field), $"the problem does not name '{field}': {body}");
        return fields;
    }
}
