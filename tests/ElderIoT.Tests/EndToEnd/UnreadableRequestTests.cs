using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>What the framework cannot even bind is still a 400 that names the field and the form it wants.</summary>
[Collection(NodeCollection.Name)]
public sealed class UnreadableRequestTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Theory]
    [InlineData("POST", "/api/elders", """{"name":"王秀英","address":"南京市鼓楼区颐和路12号","district":"南京市/鼓楼区","birthDate":"02/03/1941"}""", "birthDate", "YYYY-MM-DD")]
    [InlineData("POST", "/api/elders", """{"name":"王秀英","address":"南京市鼓楼区颐和路12号","district":"南京市/鼓楼区","location":{"lat":"north","lon":118}}""", "location.lat", "a number")]
    [InlineData("POST", "/api/elders", """{"name":"王秀英", "address": """, "address", "JSON")]
    [InlineData("POST", "/api/elders", """{"name":"王秀英","address":"南京市","district":"南京市/鼓楼区","contacts":[{"name":"李明","relation":"儿子","phone":8613800000000}]}""", "contacts[0].phone", "a string")]
    [InlineData("POST", "/api/devices", """{"id":"w-1","kind":"watch","elderId":"not-a-uuid"}""", "elderId", "UUID")]
    [InlineData("GET", "/api/elders?limit=many", null, "limit", "a whole number")]
    [InlineData("GET", "/api/alarms?elderId=nobody", null, "elderId", "UUID")]
    [InlineData("GET", "/api/notifications?alarmId=nobody", null, "alarmId", "UUID")]
    public async Task AnUnbindableValueIsA400NamingTheFieldAndItsForm(string method, string path, string? body, string field, string form)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await Node.Http.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var messages = problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Contains(messages, m => m!.Contains(form, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABodyThatIsNotJsonIs415SayingWhichMediaTypeToSend()
    {
        using var response = await Node.Http.PostAsync("/api/elders", new StringContent("name=王秀英", Encoding.UTF8, "application/x-www-form-urlencoded"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", problem.GetProperty("detail").GetString());
    }
}
