using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ElderIoT.Api.Elders;
using ElderIoT.Grains.Notifications.Twilio;
using ElderIoT.Tests.EndToEnd;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Tests.Broadcasts;

/// <summary>A voice broadcast whose node stops half-way goes on after the restart: every elder called, none twice.</summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
public sealed class CareVoiceRestartTests : IAsyncLifetime
{
    private readonly PrismMock _twilio = new();
    private readonly TwilioRequestLog _requests = new();

    public Task InitializeAsync() => _twilio.InitializeAsync();

    public Task DisposeAsync() => _twilio.DisposeAsync();

    [Fact]
    public async Task AVoiceBroadcastCutOffByARestartGoesOnWithoutCallingAnyElderTwice()
    {
        var dataDirectory = RepoPaths.TempDirectory("care-voice-restart");
        var district = $"南京市/重启{Guid.NewGuid():N}"[..20];
        var phones = Enumerable.Range(0, 8).Select(i => $"+86136{Random.Shared.Next(1_000_000, 9_999_999)}{i}").ToList();
        Guid id;
        int placedBefore;
        await using (var before = await StartAsync(dataDirectory))
        {
            foreach (var phone in phones)
            {
                var elder = await before.PostAsync<ElderResponse>("/api/elders", new
                {
                    name = "测试老人", phone, address = "南京市某路1号", district, birthDate = "1940-01-01", language = "zh-CN", contacts = Array.Empty<object>(),
                });
                using var consent = await before.Http.PutAsJsonAsync($"/api/elders/{elder.Id}/consent", new { shareLocationWithFamily = false, shareHealthWithFamily = false, careMessages = true });
                consent.EnsureSuccessStatusCode();
            }

            using var started = await before.Http.PostAsJsonAsync("/api/broadcasts", new { text = "今晚降温，请关好门窗。", channel = "voice", audience = new { districtPrefix = district } });
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            await TestNode.EventuallyAsync(() => Task.FromResult(CallsTo(phones).Count), n => n >= 2, "two calls placed before the node stops");
        }

        placedBefore = CallsTo(phones).Count;
        await using var after = await StartAsync(dataDirectory);
        var done = await TestNode.EventuallyAsync(
            () => after.GetAsync<JsonElement>($"/api/broadcasts/{id}"), b => b.GetProperty("status").GetString() == "done", "the broadcast to finish after the restart", TimeSpan.FromSeconds(40));

        Assert.True(placedBefore < phones.Count, $"all {placedBefore} calls were placed before the node stopped: nothing was left to resume");
        Assert.Equal(phones.Order(), CallsTo(phones).Select(c => c.Field("To")!).Order());
        Assert.All(done.GetProperty("messages").EnumerateArray(), m => Assert.Equal("sent", m.GetProperty("status").GetString()));
    }

    private List<TwilioRequest> CallsTo(List<string> phones) => [.. _requests.Calls.Where(c => phones.Contains(c.Field("To")!))];

    private Task<TestNode> StartAsync(string dataDirectory) => TestNode.StartAsync(
        new Dictionary<string, string?>
        {
            ["Twilio:BaseUrl"] = _twilio.BaseUrl.ToString(),
            ["Twilio:AccountSid"] = PrismMock.AccountSid,
            ["Twilio:AuthToken"] = NodeFixture.AuthToken,
            ["Twilio:FromNumber"] = "+15005550006",
            ["Twilio:PublicBaseUrl"] = NodeFixture.PublicBaseUrl.ToString(),
            ["Broadcasts:MessagesPerSecond"] = "1",
        },
        services: s => s.AddHttpClient<TwilioFamilyNotifier>().AddHttpMessageHandler(_requests.Handler).AddHttpMessageHandler(() => new PrismFormArrays()),
        dataDirectory: dataDirectory);
}
