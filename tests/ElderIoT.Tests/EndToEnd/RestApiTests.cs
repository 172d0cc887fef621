using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ElderIoT.Api.Elders;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>The REST API as a dispatch dashboard uses it: records, clear errors, the OpenAPI document.</summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(NodeCollection.Name)]
public sealed class RestApiTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task AnElderIsCreatedReadAndUpdatedWithContactsInOrder()
    {
        var created = await Node.CreateElderAsync(contacts: 2);
        var read = await Node.GetAsync<ElderResponse>($"/api/elders/{created.Id}");
        var body = JsonSerializer.SerializeToNode(Scenario.ElderBody(name: "王秀英", contacts: 0), TestNode.Json)!;
        body["contacts"] = new JsonArray(
            new JsonObject { ["name"] = "小王", ["relation"] = "孙子", ["phone"] = "+8613700000001", ["language"] = "zh-CN" },
            new JsonObject { ["name"] = "李明", ["relation"] = "儿子", ["phone"] = "+8613700000002" });
        using var put = await Node.Http.PutAsJsonAsync($"/api/elders/{created.Id}", body, TestNode.Json);
        var updated = await put.Content.ReadFromJsonAsync<ElderResponse>(TestNode.Json);

        Assert.Equal(created.Contacts, read.Contacts);
        Assert.Equal((CareLevel.Assisted, Sex.Female), (read.CareLevel, read.Sex));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(["小王", "李明"], updated!.Contacts.Select(c => c.Name));
        Assert.Equal("zh-CN", updated.Contacts[1].Language);
    }

    [Fact]
    public async Task AnInvalidElderIsA400NamingEveryBadField()
    {
        using var response = await Node.Http.PostAsJsonAsync("/api/elders", new
        {
            name = "",
            address = "南京市",
            district = "南京市",
            sex = "x",
            location = new { lat = 99, lon = 118.0 },
            contacts = new[] { new { name = "A", relation = "son", phone = "12345" } },
        }, TestNode.Json);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "name", "district", "sex", "location.lat", "contacts[0].phone" }, fields);
    }

    [Fact]
    public async Task ADeviceIdIsRegisteredOnceForAnExistingElderAndItsSecretIsNotShownAgain()
    {
        var elder = await Node.CreateElderAsync();
        var id = $"dev-{Guid.NewGuid():N}"[..24];

        var first = await Node.PostAsync<DeviceRegistration>("/api/devices", new { id, kind = "handset", elderId = elder.Id });
        using var again = await Node.Http.PostAsJsonAsync("/api/devices", new { id, kind = "handset", elderId = elder.Id }, TestNode.Json);
        using var noElder = await Node.Http.PostAsJsonAsync("/api/devices", new { id = id + "x", kind = "watch", elderId = Guid.NewGuid() }, TestNode.Json);
        using var badId = await Node.Http.PostAsJsonAsync("/api/devices", new { id = "a/b#", kind = "robot", elderId = elder.Id }, TestNode.Json);
        var status = await Node.Http.GetStringAsync($"/api/devices/{id}");

        Assert.Equal(32, first.Secret.Length);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noElder.StatusCode);
        Assert.Contains("elderId", await noElder.Content.ReadAsStringAsync());
        var badFields = (await badId.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(badFields.TryGetProperty("id", out _) && badFields.TryGetProperty("kind", out _));
        Assert.DoesNotContain(first.Secret, status);
    }

    [Fact]
    public async Task UnknownAlarmsAndBadQueriesAreProblemDetails()
    {
        using var missing = await Node.AsSeat("s", Scenario.District).Http.PostAsJsonAsync($"/api/alarms/{Guid.NewGuid()}/accept", new { }, TestNode.Json);
        using var badStatus = await Node.Http.GetAsync("/api/alarms?status=burning");
        using var badOutcome = await Node.AsSeat("s", Scenario.District).Http.PostAsJsonAsync($"/api/alarms/{Guid.NewGuid()}/resolve", new { outcome = "fixed" }, TestNode.Json);
        using var badChannel = await Node.Http.GetAsync("/api/notifications?channel=pigeon");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Contains("status", await badStatus.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badOutcome.StatusCode);
        Assert.Contains("outcome", await badOutcome.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badChannel.StatusCode);
        Assert.Contains("channel", await badChannel.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheAlarmEndpointsAndHealthIsReady()
    {
        var document = await Node.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        using var ready = await Node.Http.GetAsync("/health/ready");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/alarms/{id}/accept", paths);
        Assert.Contains("/api/seats/{seatId}/stream", paths);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task TheApiReferencePageIsServedWithItsScriptFromTheNodeItself()
    {
        var page = await Node.Http.GetStringAsync("/api/reference/v1");
        var scripts = System.Text.RegularExpressions.Regex.Matches(page, "<script[^>]+src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();

        Assert.Contains("ElderIoT API", page);
        Assert.NotEmpty(scripts);
        Assert.All(scripts, src => Assert.DoesNotContain("://", src));
        foreach (var src in scripts)
        {
            using var script = await Node.Http.GetAsync(new Uri(new Uri(Node.Http.BaseAddress!, "/api/reference/v1"), src));
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        }
    }
}
