using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ElderIoT.Api.Alarms;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>
/// What a seat reads (errors, the alarm timeline) is in the centre's language, zh-CN, unless the
/// client asks for English with Accept-Language.
/// </summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(NodeCollection.Name)]
public sealed class LanguageTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Theory]
    [InlineData("zh-CN", "请求中有无效的字段。", "须在 1 到 1000 之间")]
    [InlineData("en", "The request has invalid fields.", "must be between 1 and 1000")]
    [InlineData("en-GB,en;q=0.8", "The request has invalid fields.", "must be between 1 and 1000")]
    [InlineData(null, "请求中有无效的字段。", "须在 1 到 1000 之间")]
    [InlineData("fr-FR", "请求中有无效的字段。", "须在 1 到 1000 之间")]
    public async Task AFieldErrorIsInTheLanguageAskedForAndInChineseByDefault(string? acceptLanguage, string title, string message)
    {
        var problem = await SendAsync(HttpMethod.Get, "/api/alarms?limit=0", acceptLanguage, HttpStatusCode.BadRequest);

        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Equal([message], problem.GetProperty("errors").GetProperty("limit").EnumerateArray().Select(m => m.GetString()));
    }

    [Theory]
    [InlineData("zh-CN", "须为 YYYY-MM-DD 形式的日期，例如 1941-03-02")]
    [InlineData("en", "must be a date in the form YYYY-MM-DD, such as 1941-03-02")]
    public async Task AValueTheFrameworkCannotBindIsNamedInTheLanguageAskedFor(string acceptLanguage, string message)
    {
        var body = """{"name":"王秀英","address":"南京市鼓楼区颐和路12号","district":"南京市/鼓楼区","birthDate":"02/03/1941"}""";
        var problem = await SendAsync(HttpMethod.Post, "/api/elders", acceptLanguage, HttpStatusCode.BadRequest, body);

        Assert.Equal([message], problem.GetProperty("errors").GetProperty("birthDate").EnumerateArray().Select(m => m.GetString()));
    }

    [Theory]
    [InlineData("zh-CN", "未找到。")]
    [InlineData("en", "Not found.")]
    public async Task ADomainProblemHasItsTitleInTheLanguageAskedFor(string acceptLanguage, string title)
    {
        var problem = await SendAsync(HttpMethod.Post, $"/api/alarms/{Guid.NewGuid()}/accept", acceptLanguage, HttpStatusCode.NotFound, "{}");

        Assert.Equal(title, problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task TheTimelineReadsInTheSeatsLanguage()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        // Without a device time: the alarm is raised all the same, and the timeline says so.
        await watch.PublishEventAsync($$"""{"id":"lang-1","type":"sos","ts":"yesterday","lat":32.0604,"lon":118.7970,"acc":12}""");
        var alarmId = Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm.Id;

        var english = (await SendAsync(HttpMethod.Get, $"/api/alarms/{alarmId}", "en", HttpStatusCode.OK)).GetProperty("timeline");
        var chinese = (await SendAsync(HttpMethod.Get, $"/api/alarms/{alarmId}", "zh-CN", HttpStatusCode.OK)).GetProperty("timeline");

        var raisedEn = english.EnumerateArray().First(e => e.GetProperty("type").GetString() == "raised");
        var raisedZh = chinese.EnumerateArray().First(e => e.GetProperty("type").GetString() == "raised");
        Assert.Equal("Alarm raised", raisedEn.GetProperty("title").GetString());
        Assert.Equal($"an SOS alarm from device {device.Id} (no device time)", raisedEn.GetProperty("detail").GetString());
        Assert.Equal("报警触发", raisedZh.GetProperty("title").GetString());
        Assert.Equal($"设备 {device.Id} 发出紧急呼叫（SOS）报警（无设备时间）", raisedZh.GetProperty("detail").GetString());
        var anomalyZh = chinese.EnumerateArray().First(e => e.GetProperty("type").GetString() == "anomaly");
        Assert.StartsWith("设备时间无法读取", anomalyZh.GetProperty("detail").GetString());
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string? acceptLanguage, HttpStatusCode expected, string? body = null)
    {
        // A client of its own: the shared one asks for English for the rest of the suite. An admin
        // who also acts as a seat, so that accepting reaches the alarm.
        using var http = new HttpClient { BaseAddress = Node.Http.BaseAddress }.WithToken(TestTokens.For(Api.Access.AccessRole.Admin, "lang-admin", seatId: "seat-lang"));
        using var request = new HttpRequestMessage(method, path);
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
