using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using ElderIoT.Api.Access;
using ElderIoT.Api.Alarms;
using ElderIoT.Api.Elders;
using ElderIoT.Api.Notifications;
using ElderIoT.Contracts.Notifications;
using ElderIoT.Tests.EndToEnd;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.Broadcasts;

/// <summary>A node that texts and calls through Twilio's OpenAPI mock, two care messages a second.</summary>
public sealed class CareBroadcastFixture : NodeFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Broadcasts:MessagesPerSecond"] = "2",
    };
}

[CollectionDefinition(Name)]
public sealed class CareBroadcastCollection : ICollectionFixture<CareBroadcastFixture>
{
    public const string Name = "care-broadcast";
}

/// <summary>
/// Care broadcasts by call, and opting out of care messages by text: through Twilio's OpenAPI mock,
/// with Twilio's callbacks and incoming texts played, signed as Twilio signs them.
/// </summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(CareBroadcastCollection.Name)]
public sealed class CareVoiceAndOptOutTests(CareBroadcastFixture fixture)
{
    private const string Text = "明天有高温，请多喝水，少出门。";

    private readonly string _district = $"南京市/关怀{Guid.NewGuid():N}"[..20];

    private TestNode Node => fixture.Node;

    private TwilioWebhookClient Twilio => fixture.Twilio;

    [Fact]
    public async Task AVoiceBroadcastCallsOnlyConsentingEldersAtTheBoundedRateSayingTheTextTwiceInTheirLanguage()
    {
        var consenting = new Dictionary<string, string>();
        for (var i = 0; i < 5; i++)
        {
            var (phone, language) = (Phone(), i < 3 ? "zh-CN" : "en");
            await ConsentAsync(await ElderAsync(phone, language), true);
            consenting[phone] = language;
        }

        var neverAsked = Phone();
        await ElderAsync(neverAsked);
        var optedOut = Phone();
        var leaving = await ElderAsync(optedOut);
        await ConsentAsync(leaving, true);
        await ConsentAsync(leaving, false);

        var (id, started) = await StartAsync(Text, "voice");
        var done = await DoneAsync(id);

        Assert.Equal("voice", started.GetProperty("channel").GetString());
        Assert.Equal(5, done.GetProperty("recipients").GetInt32());
        var calls = CallsTo(consenting.Keys.Append(neverAsked).Append(optedOut));
        Assert.Equal(consenting.Keys.Order(), calls.Select(c => c.Field("To")!).Order());
        Assert.DoesNotContain(fixture.TwilioRequests.Messages, m => consenting.ContainsKey(m.Field("To")!));
        foreach (var call in calls)
        {
            var twiml = XDocument.Parse(call.Field("Twiml")!).Root!;
            var says = twiml.Elements("Say").ToList();
            // Said twice, in the elder's voice, and nothing asked of them.
            Assert.Equal(2, says.Count);
            Assert.All(says, say => Assert.Contains(Text, say.Value));
            Assert.All(says, say => Assert.Equal(consenting[call.Field("To")!] == "en" ? "en-US" : "zh-CN", say.Attribute("language")!.Value));
            Assert.Null(twiml.Element("Gather"));
            Assert.StartsWith(TwilioWebhooks.Url(NodeFixture.PublicBaseUrl, TwilioWebhooks.CareCallStatus).AbsoluteUri + $"?broadcastId={id:D}&messageId=", call.Field("StatusCallback"));
        }

        // Two a second: any three consecutive calls span at least (almost) a second; a busy machine only widens the gaps.
        for (var i = 0; i + 2 < calls.Count; i++)
        {
            Assert.True(calls[i + 2].At - calls[i].At >= TimeSpan.FromMilliseconds(900), $"calls {i}..{i + 2} were placed within {calls[i + 2].At - calls[i].At}");
        }

        var messages = done.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(consenting.Keys.Order(), messages.Select(m => m.GetProperty("phone").GetString()!).Order());
        Assert.All(messages, m => Assert.Equal("sent", m.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task CallStatusCallbacksSettleEachRecipientsCall()
    {
        for (var i = 0; i < 4; i++)
        {
            await ConsentAsync(await ElderAsync(Phone()), true);
        }

        var (id, _) = await StartAsync(Text, "voice");
        var messages = (await DoneAsync(id)).GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()).ToList();
        var (other, _) = await StartAsync(Text, "voice", district: $"南京市/别处{Guid.NewGuid():N}"[..20]);

        var answers = new List<HttpStatusCode>();
        foreach (var (message, statuses) in messages.Zip(new[] { new[] { "ringing", "in-progress", "completed" }, ["ringing", "busy"], ["ringing", "no-answer"], ["failed"] }))
        {
            foreach (var status in statuses)
            {
                using var response = await Twilio.CareCallStatusAsync(id, message, status, status == "failed" ? "32009" : null);
                answers.Add(response.StatusCode);
            }
        }

        using var late = await Twilio.CareCallStatusAsync(id, messages[0], "ringing");
        using var repeated = await Twilio.CareCallStatusAsync(id, messages[1], "completed");
        using var foreign = await Twilio.CareCallStatusAsync(other, messages[0], "completed");

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NoContent, a));
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NotFound), (late.StatusCode, repeated.StatusCode, foreign.StatusCode));
        var broadcast = await Node.GetAsync<JsonElement>($"/api/broadcasts/{id}");
        var recipients = broadcast.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["completed", "busy", "no_answer", "failed"], recipients.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(["completed", "busy", "no_answer", "failed"], recipients.Select(r => r.GetProperty("providerStatus").GetString()));
        Assert.Contains("32009", recipients[3].GetProperty("error").GetString());
        Assert.Equal((1, 1, 1, 1, 0), (broadcast.GetProperty("completed").GetInt32(), broadcast.GetProperty("busy").GetInt32(),
            broadcast.GetProperty("noAnswer").GetInt32(), broadcast.GetProperty("failed").GetInt32(), broadcast.GetProperty("sent").GetInt32()));
    }

    [Fact]
    public async Task AnElderWhoTextsTuiDingIsOptedOutAuditedAndSkippedAndStartOptsThemBackIn()
    {
        var phones = new[] { Phone(), Phone(), Phone() };
        var elders = new List<Guid>();
        foreach (var phone in phones)
        {
            elders.Add(await ElderAsync(phone));
            await ConsentAsync(elders[^1], true);
        }

        var (first, _) = await StartAsync(Text);
        await DoneAsync(first);
        var before = await PreviewAsync();

        using var optOut = await Twilio.InboundAsync(phones[0], "退订");

        Assert.Equal(HttpStatusCode.OK, optOut.StatusCode);
        Assert.Contains("您已退订关怀信息", Answer(await optOut.Content.ReadAsStringAsync()));
        var after = await PreviewAsync();
        Assert.Equal((before.WillReceive - 1, before.OptedOut + 1), (after.WillReceive, after.OptedOut));
        var audit = Assert.Single(await Node.GetAsync<List<AuditEntry>>($"/api/audit?elderId={elders[0]}&action=care_opt_out"));
        Assert.Equal(("sms:" + phones[0], "退订"), (audit.UserName, audit.Subject));
        var consent = await Node.GetAsync<ConsentResponse>($"/api/elders/{elders[0]}/consent");
        Assert.False(consent.CareMessages);
        Assert.NotNull(consent.CareMessagesOptedOutAt);

        var (second, _) = await StartAsync("今晚有雷雨，请关好门窗。");
        var done = await DoneAsync(second);
        Assert.Equal(2, done.GetProperty("recipients").GetInt32());
        var texted = fixture.TwilioRequests.Messages.Where(m => m.Field("Body")!.StartsWith("今晚有雷雨", StringComparison.Ordinal)).Select(m => m.Field("To")).ToList();
        Assert.Equal(phones[1..].Order(), texted.Where(phones.Contains).Order());

        using var optIn = await Twilio.InboundAsync(phones[0], "START");

        Assert.Contains("重新订阅", Answer(await optIn.Content.ReadAsStringAsync()));
        Assert.Equal(before, await PreviewAsync());
        Assert.Single(await Node.GetAsync<List<AuditEntry>>($"/api/audit?elderId={elders[0]}&action=care_opt_in"));
    }

    [Theory]
    [InlineData("TD")]
    [InlineData("t")]
    [InlineData(" Stop ")]
    [InlineData("UNSUBSCRIBE")]
    [InlineData("取消")]
    [InlineData("ＴＤ")]
    [InlineData("ｓｔｏｐ。")]
    public async Task EveryOptOutWordInAnyCaseOrWidthOptsOutAndIsAnsweredInTheEldersLanguage(string word)
    {
        var phone = Phone();
        var elder = await ElderAsync(phone, "en");
        await ConsentAsync(elder, true);
        await DoneAsync((await StartAsync("Hot tomorrow: drink water.")).Id);

        using var response = await Twilio.InboundAsync(phone, word);

        Assert.Contains("You will get no more care messages", Answer(await response.Content.ReadAsStringAsync()));
        Assert.False((await Node.GetAsync<ConsentResponse>($"/api/elders/{elder}/consent")).CareMessages);
    }

    [Theory]
    [InlineData("请不要给我退订")]
    [InlineData("STOP calling me please")]
    [InlineData("1")]
    public async Task AnOptOutWordInsideASentenceOptsNobodyOut(string text)
    {
        var phone = Phone();
        var elder = await ElderAsync(phone);
        await ConsentAsync(elder, true);
        await DoneAsync((await StartAsync(Text)).Id);

        using var response = await Twilio.InboundAsync(phone, text);

        Assert.Equal("<Response></Response>", Strip(await response.Content.ReadAsStringAsync()));
        Assert.True((await Node.GetAsync<ConsentResponse>($"/api/elders/{elder}/consent")).CareMessages);
    }

    [Fact]
    public async Task OneFromAFamilyContactOnAnOpenAlarmStillMeansGoingEvenFromANumberCareMessagesReach()
    {
        var (alarmId, family) = await SosAsync();
        var contact = family.Contacts[0];
        // The son is an elder of the centre too, and gets its care messages.
        var son = await ElderAsync(contact.Phone);
        await ConsentAsync(son, true);
        await DoneAsync((await StartAsync(Text)).Id);

        using var response = await Twilio.InboundAsync(contact.Phone, "1");

        Assert.Equal("<Response></Response>", Strip(await response.Content.ReadAsStringAsync()));
        var going = (await TimelineAsync(alarmId, "family_going")).Timeline.Single(t => t.Type == "family_going");
        Assert.Contains(contact.Name, going.Detail);
        Assert.True((await Node.GetAsync<ConsentResponse>($"/api/elders/{son}/consent")).CareMessages);
    }

    [Fact]
    public async Task AFamilyContactWhoTextsStopIsHeardRecordedAndStillGetsAlarmTexts()
    {
        var (alarmId, elder) = await SosAsync();
        var contact = elder.Contacts[0];

        using var response = await Twilio.InboundAsync(contact.Phone, "STOP");

        // The seat sees what the family wrote, as with any reply to an open alarm.
        Assert.Contains("STOP", (await TimelineAsync(alarmId, "family_message")).Timeline.Single(t => t.Type == "family_message").Detail);
        Assert.Contains("老人报警时的通知仍会发给您", Answer(await response.Content.ReadAsStringAsync()));
        var wish = Assert.Single(await Node.GetAsync<List<AuditEntry>>($"/api/audit?elderId={elder.Id}&action=family_opt_out_request"));
        Assert.Equal(("sms:" + contact.Phone, "STOP"), (wish.UserName, wish.Subject));

        var seat = $"seat-{Guid.NewGuid():N}";
        await Node.AsSeat(seat, _district).PostAsync<object>($"/api/alarms/{alarmId}/accept");
        await Node.AsSeat(seat, _district).PostAsync<object>($"/api/alarms/{alarmId}/resolve", new { outcome = "false_alarm" });
        var device = await Node.RegisterDeviceAsync(elder.Id);
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        await watch.PublishEventAsync(Scenario.SosJson($"again-{Guid.NewGuid():N}"));
        var next = (await TestNode.EventuallyAsync(
            () => Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}&status=open"), a => a.Count == 1, "the next alarm"))[0].Alarm.Id;
        await TestNode.EventuallyAsync(
            () => Node.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={next}&channel=sms"),
            n => n.Any(x => x.Recipient == contact.Phone && x.Status == "sent"), "the next alarm's text to the contact who said STOP");
    }

    [Fact]
    public async Task AVoiceTextTooLongToSayIsRefusedAtPreviewAndStartNamingTheField()
    {
        var longText = new string('请', 301);

        using var start = await Node.Http.PostAsJsonAsync("/api/broadcasts", new { text = longText, channel = "voice", audience = new { districtPrefix = _district } });
        using var preview = await Node.Http.PostAsJsonAsync("/api/broadcasts/preview", new { districtPrefix = _district, text = longText, channel = "voice" });
        using var asText = await Node.Http.PostAsJsonAsync("/api/broadcasts/preview", new { districtPrefix = _district, text = longText, channel = "sms" });
        using var pigeon = await Node.Http.PostAsJsonAsync("/api/broadcasts", new { text = "hello", channel = "pigeon", audience = new { districtPrefix = _district } });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.BadRequest),
            (start.StatusCode, preview.StatusCode, asText.StatusCode, pigeon.StatusCode));
        foreach (var refused in new[] { start, preview })
        {
            var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.Contains("300", Assert.Single(errors.EnumerateObject(), e => e.Name == "text").Value[0].GetString());
        }

        Assert.True((await pigeon.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("channel", out _));
    }

    [Fact]
    public async Task EachBadCareLevelOrConditionGetsOneMessageSayingWhatIsWrong()
    {
        using var response = await Node.Http.PostAsJsonAsync("/api/broadcasts/preview", new
        {
            careLevels = new[] { "assisted", " ", "x", new string('x', 51) },
            conditions = new[] { "高血压", "" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject()
            .ToDictionary(e => e.Name, e => e.Value.EnumerateArray().Select(m => m.GetString()!).ToList());
        Assert.Equal(["careLevels[1]", "careLevels[2]", "careLevels[3]", "conditions[1]"], errors.Keys.Order());
        Assert.All(errors.Values, messages => Assert.Single(messages));
        Assert.Contains("is required", errors["careLevels[1]"][0]);
        Assert.Contains("self_care", errors["careLevels[2]"][0]);
        Assert.Contains("50", errors["careLevels[3]"][0]);
    }

    private static string Phone() => $"+86137{Random.Shared.Next(10_000_000, 99_999_999)}";

    private static string Strip(string xml) => xml.Replace("<?xml version=\"1.0\" encoding=\"utf-8\"?>", "").Trim();

    /// <summary>The text a TwiML answer sends back.</summary>
    private static string Answer(string twiml) => XDocument.Parse(twiml).Root!.Element("Message")?.Value ?? "";

    private List<TwilioRequest> CallsTo(IEnumerable<string> phones)
    {
        var set = phones.ToHashSet();
        return [.. fixture.TwilioRequests.Calls.Where(c => set.Contains(c.Field("To")!))];
    }

    private async Task<Guid> ElderAsync(string phone, string language = "zh-CN")
    {
        using var response = await Node.Http.PostAsJsonAsync("/api/elders", new
        {
            name = language == "en" ? "Test Elder" : "测试老人",
            phone,
            address = "南京市某路1号",
            district = _district,
            birthDate = "1940-01-01",
            careLevel = "assisted",
            language,
            contacts = Array.Empty<object>(),
        }, TestNode.Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ElderResponse>(TestNode.Json))!.Id;
    }

    private async Task ConsentAsync(Guid elderId, bool consent)
    {
        using var response = await Node.Http.PutAsJsonAsync($"/api/elders/{elderId}/consent", new { shareLocationWithFamily = false, shareHealthWithFamily = false, careMessages = consent });
        response.EnsureSuccessStatusCode();
    }

    private async Task<(Guid Id, JsonElement Started)> StartAsync(string text, string? channel = null, string? district = null)
    {
        using var response = await Node.Http.PostAsJsonAsync("/api/broadcasts", new { text, channel, audience = new { districtPrefix = district ?? _district } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var started = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (started.GetProperty("id").GetGuid(), started);
    }

    private Task<JsonElement> DoneAsync(Guid id) => TestNode.EventuallyAsync(
        () => Node.GetAsync<JsonElement>($"/api/broadcasts/{id}"), b => b.GetProperty("status").GetString() == "done", $"broadcast {id} to be done");

    private async Task<(int WillReceive, int OptedOut)> PreviewAsync()
    {
        var count = await Node.PostAsync<JsonElement>("/api/broadcasts/preview", new { districtPrefix = _district });
        return (count.GetProperty("willReceive").GetInt32(), count.GetProperty("optedOut").GetInt32());
    }

    private Task<AlarmDetailResponse> TimelineAsync(Guid alarmId, string type) => TestNode.EventuallyAsync(
        () => Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}"), d => d.Timeline.Any(t => t.Type == type), $"{type} on the timeline");

    /// <summary>An SOS of an elder of this test's district, once its first text went to the family.</summary>
    private async Task<(Guid AlarmId, ElderResponse Elder)> SosAsync()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync(district: _district, contacts: 1);
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        await watch.PublishEventAsync(Scenario.SosJson("care"));
        var alarmId = Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm.Id;
        await TestNode.EventuallyAsync(
            () => Node.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={alarmId}"), n => n.Count == 1 && n[0].Status == "sent", "the text to the family");
        return (alarmId, elder);
    }
}
