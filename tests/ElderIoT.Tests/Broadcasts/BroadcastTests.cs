using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ElderIoT.Api.Elders;
using ElderIoT.Grains.Notifications;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Tests.Broadcasts;

/// <summary>Care broadcasts (主动关怀): who they select, consent and opt-out, and the bounded rate.</summary>
public sealed class BroadcastTests : IAsyncLifetime
{
    private readonly TimedSmsSender _sms = new();
    private readonly string _district = $"南京市/广播{Guid.NewGuid():N}"[..20];
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(
        new Dictionary<string, string?> { ["Broadcasts:MessagesPerSecond"] = "2" },
        services: s => s.AddSingleton<IFamilyNotifier>(_sms));

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task ThePreviewCountsWhoTheCriteriaSelectAndWhoWouldReceiveIt()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var eightyWithConsent = await ElderAsync(today.AddYears(-80).AddDays(-10), "assisted", ["高血压"], "+8613900000101");
        var seventyWithConsent = await ElderAsync(today.AddYears(-70).AddDays(-10), "self_care", ["糖尿病"], "+8613900000102");
        var eightyNeverAsked = await ElderAsync(today.AddYears(-80).AddDays(-10), "assisted", ["高血压"], "+8613900000103");
        var eightyOptedOut = await ElderAsync(today.AddYears(-80).AddDays(-10), "assisted", ["高血压"], "+8613900000104");
        var eightyNoPhone = await ElderAsync(today.AddYears(-80).AddDays(-10), "assisted", ["高血压"], null);
        var sixty = await ElderAsync(today.AddYears(-60).AddDays(-10), "assisted", ["高血压"], "+8613900000106");
        foreach (var elder in new[] { eightyWithConsent, seventyWithConsent, eightyOptedOut, eightyNoPhone, sixty })
        {
            await ConsentAsync(elder, true);
        }

        await ConsentAsync(eightyOptedOut, false);

        var overSeventyFive = await PreviewAsync(new { districtPrefix = _district, minAge = 75 });
        // Four are over 75: one receives it, one was never asked, one opted out, one has no phone.
        Assert.Equal((4, 1, 1, 1, 1), overSeventyFive);
        var hypertensionAssisted = await PreviewAsync(new { districtPrefix = _district, careLevels = new[] { "assisted" }, conditions = new[] { "高血压" } });
        Assert.Equal(5, hypertensionAssisted.Matching);
        var seventies = await PreviewAsync(new { districtPrefix = _district, minAge = 70, maxAge = 79 });
        Assert.Equal(1, seventies.Matching);
        Assert.Equal(1, seventies.WillReceive);
        Assert.NotEqual(Guid.Empty, eightyNeverAsked);
    }

    [Fact]
    public async Task ABroadcastTextsOnlyThoseWhoConsentedAtTheBoundedRate()
    {
        var phones = Enumerable.Range(0, 6).Select(i => $"+86139000002{i:00}").ToList();
        foreach (var phone in phones)
        {
            await ConsentAsync(await ElderAsync(new DateOnly(1940, 1, 1), "assisted", [], phone), true);
        }

        await ElderAsync(new DateOnly(1940, 1, 1), "assisted", [], "+8613900000299"); // never asked

        using var response = await _node.Http.PostAsJsonAsync("/api/broadcasts", new { text = "明日高温，请多饮水。", audience = new { districtPrefix = _district } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        JsonElement broadcast = default;
        for (var i = 0; i < 200; i++)
        {
            broadcast = await _node.Http.GetFromJsonAsync<JsonElement>($"/api/broadcasts/{id}");
            if (broadcast.GetProperty("status").GetString() == "done")
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.True(broadcast.GetProperty("status").GetString() == "done",
            $"still {broadcast}; node errors: {string.Join(" | ", _node.Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).Select(e => e.Message + " " + e.Exception))}");
        Assert.Equal(6, broadcast.GetProperty("recipients").GetInt32());
        Assert.Equal(6, broadcast.GetProperty("sent").GetInt32());
        Assert.Equal("sms", broadcast.GetProperty("channel").GetString()); // a client that names no channel texts, as before
        // The text as written, and how to stop care messages (in the elder's language).
        var sent = _sms.Attempts.Where(a => a.Message.Body == "明日高温，请多饮水。（回复TD退订）").OrderBy(a => a.At).ToList();
        Assert.Equal(phones.Order(), sent.Select(a => a.Message.To).Order());
        Assert.DoesNotContain(sent, a => a.Message.To == "+8613900000299");
        // Two a second: any three consecutive texts span at least (almost) a second. A busy machine only
        // makes the gaps longer, so this cannot flake the other way.
        for (var i = 0; i + 2 < sent.Count; i++)
        {
            Assert.True(sent[i + 2].At - sent[i].At >= TimeSpan.FromMilliseconds(900), $"texts {i}..{i + 2} went out within {sent[i + 2].At - sent[i].At}");
        }
    }

    [Fact]
    public async Task AnAudienceWithBadCriteriaIsA400NamingEachField()
    {
        using var response = await _node.Http.PostAsJsonAsync("/api/broadcasts", new
        {
            text = "",
            audience = new { minAge = 90, maxAge = 70, careLevels = Enumerable.Repeat("x", 21).ToArray() },
        });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "text", "audience.maxAge", "audience.careLevels" }, fields);
    }

    private async Task<Guid> ElderAsync(DateOnly birthDate, string careLevel, string[] conditions, string? phone)
    {
        using var response = await _node.Http.PostAsJsonAsync("/api/elders", new
        {
            name = "测试老人",
            phone,
            address = "南京市某路1号",
            district = _district,
            birthDate = birthDate.ToString("yyyy-MM-dd"),
            careLevel,
            conditions,
            language = "zh-CN",
            contacts = Array.Empty<object>(),
        }, TestNode.Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ElderResponse>(TestNode.Json))!.Id;
    }

    private async Task ConsentAsync(Guid elderId, bool consent)
    {
        using var response = await _node.Http.PutAsJsonAsync($"/api/elders/{elderId}/consent", new { shareLocationWithFamily = false, shareHealthWithFamily = false, careMessages = consent });
        response.EnsureSuccessStatusCode();
    }

    private async Task<(int Matching, int WillReceive, int NoConsent, int OptedOut, int NoPhone)> PreviewAsync(object audience)
    {
        using var response = await _node.Http.PostAsJsonAsync("/api/broadcasts/preview", audience);
        response.EnsureSuccessStatusCode();
        var count = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (count.GetProperty("matching").GetInt32(), count.GetProperty("willReceive").GetInt32(), count.GetProperty("noConsent").GetInt32(),
            count.GetProperty("optedOut").GetInt32(), count.GetProperty("noPhone").GetInt32());
    }
}

/// <summary>An SMS provider that takes everything and notes when.</summary>
internal sealed class TimedSmsSender : IFamilyNotifier
{
    public System.Collections.Concurrent.ConcurrentQueue<(DateTimeOffset At, SmsMessage Message)> Attempts { get; } = new();

    public Task<SendResult> SendSmsAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        Attempts.Enqueue((DateTimeOffset.UtcNow, message));
        return Task.FromResult(new SendResult(SendOutcome.Accepted, ProviderId: $"SM{Guid.NewGuid():N}"));
    }

    public Task<SendResult> CallAsync(VoiceCall call, CancellationToken cancellationToken) =>
        Task.FromResult(new SendResult(SendOutcome.PermanentFailure, Error: "no calls in this test"));
}
