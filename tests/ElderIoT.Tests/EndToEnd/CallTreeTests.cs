using System.Net;
using System.Xml.Linq;
using ElderIoT.Api.Alarms;
using ElderIoT.Api.Notifications;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>A node whose first escalation step calls the family (a call tree) and whose second texts them.</summary>
public sealed class CallTreeFixture : NodeFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Escalation:Steps:0:After"] = "00:00:00", ["Escalation:Steps:0:Seats"] = "District", ["Escalation:Steps:0:Contacts"] = "All", ["Escalation:Steps:0:Channel"] = "Voice",
        ["Escalation:Steps:1:After"] = "00:01:00", ["Escalation:Steps:1:Seats"] = "All", ["Escalation:Steps:1:Contacts"] = "All", ["Escalation:Steps:1:Channel"] = "Sms",
        ["Escalation:Steps:2:After"] = "00:03:00", ["Escalation:Steps:2:FlagOverdue"] = "true",
    };
}

[CollectionDefinition(Name)]
public sealed class CallTreeCollection : ICollectionFixture<CallTreeFixture>
{
    public const string Name = "call-tree";
}

/// <summary>
/// Call trees through Twilio's OpenAPI mock: the contacts are called one at a time in the elder's
/// order; busy, no answer, a failed call or a hang-up without a 1 passes the tree on; a 1 stops it,
/// is on the alarm's timeline and on the seat's screen at once. Twilio's callbacks are played, signed.
/// </summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(CallTreeCollection.Name)]
public sealed class CallTreeTests(CallTreeFixture fixture)
{
    private TestNode Node => fixture.Node;

    private TwilioWebhookClient Twilio => fixture.Twilio;

    [Theory]
    [InlineData("confirm")]
    [InlineData("no-answer", "confirm")]
    [InlineData("busy", "confirm")]
    [InlineData("busy", "no-answer", "confirm")]
    [InlineData("no-answer", "hang-up", "confirm")]
    [InlineData("failed", "busy", "no-answer")]
    public async Task TheTreeCallsOneContactAtATimeUntilOneConfirms(params string[] answers)
    {
        var (alarmId, elder) = await SosAsync("南京市/鼓楼区");

        for (var i = 0; i < answers.Length; i++)
        {
            var calls = await CallsAsync(alarmId, c => c.Count == 3 && c[i].Status == "sent", $"call {i} to be placed");
            // One call at a time: those before it are over, those after it wait.
            Assert.All(calls.Skip(i + 1), c => Assert.Equal("waiting", c.Status));
            Assert.Equal(elder.Contacts[i].Phone, calls[i].Recipient);
            Assert.Matches("^CA[0-9a-fA-F]{32}$", calls[i].ProviderMessageId);
            await AnswerAsync(calls[i].Id, answers[i]);
        }

        var expected = answers.Select(a => a switch { "confirm" => "confirmed", "failed" => "failed", _ => "unanswered" })
            .Concat(Enumerable.Repeat("skipped", 3 - answers.Length)).ToArray();
        var final = await CallsAsync(alarmId, c => c.Select(x => x.Status).SequenceEqual(expected), $"the calls to end as {string.Join(", ", expected)}");
        var detail = await Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}");
        for (var i = 0; i < answers.Length; i++)
        {
            var word = answers[i] switch { "hang-up" => "answered_without_confirming", "no-answer" => "no_answer", var w => w };
            if (answers[i] == "confirm")
            {
                Assert.NotNull(final[i].RespondedAt);
                var going = Assert.Single(detail.Timeline, t => t.Type == "family_going");
                Assert.Contains(elder.Contacts[i].Name, going.Detail);
            }
            else
            {
                Assert.Contains(detail.Timeline, t => t.Type == $"call_{word}" && t.Detail!.Contains(elder.Contacts[i].Phone));
            }
        }

        if (!answers.Contains("confirm"))
        {
            Assert.DoesNotContain(detail.Timeline, t => t.Type == "family_going");
        }
    }

    [Fact]
    public async Task AConfirmationIsShownToTheSeatAtOnceAndTheCallThanksTheContact()
    {
        const string district = "南京市/秦淮区/夫子庙街道/贡院社区";
        var seat = $"seat-{Guid.NewGuid():N}"[..16];
        await Node.PostAsync<object>($"/api/seats/{seat}/online", new { districts = new[] { district } });
        await using var stream = await SeatStreamReader.OpenAsync(Node.Http, seat);
        try
        {
            var (alarmId, elder) = await SosAsync(district);
            await stream.NextAsync((e, n) => e == "offered" && n.Alarm.Id == alarmId);
            var first = (await CallsAsync(alarmId, c => c.Count == 3 && c[0].Status == "sent", "the first call"))[0];

            await Twilio.CallStatusAsync(first.Id, "in-progress");
            using var gather = await Twilio.GatherAsync(first.Id, "1");

            Assert.Equal(HttpStatusCode.OK, gather.StatusCode);
            var say = XDocument.Parse(await gather.Content.ReadAsStringAsync()).Root!.Element("Say")!;
            Assert.Equal(("zh-CN", "谢谢，已告知呼叫中心您正在前往。"), (say.Attribute("language")!.Value, say.Value));
            var (_, notice) = await stream.NextAsync((e, n) => e == "family_going" && n.Alarm.Id == alarmId);
            Assert.Equal($"{elder.Contacts[0].Name} {elder.Contacts[0].Phone}", notice.Detail);
        }
        finally
        {
            await Node.PostAsync<object>($"/api/seats/{seat}/offline", new { });
        }
    }

    [Fact]
    public async Task AnotherKeyIsNotAConfirmationAndTheCallSaysSo()
    {
        var (alarmId, elder) = await SosAsync("南京市/鼓楼区");
        var first = (await CallsAsync(alarmId, c => c.Count == 3 && c[0].Status == "sent", "the first call"))[0];

        using var gather = await Twilio.GatherAsync(first.Id, "7");
        await Twilio.CallStatusAsync(first.Id, "completed");

        Assert.Contains("没有收到按键1", await gather.Content.ReadAsStringAsync());
        var calls = await CallsAsync(alarmId, c => c[1].Status == "sent", "the second call");
        Assert.Equal("unanswered", calls[0].Status);
        Assert.Equal("answered without pressing 1", calls[0].LastError);
    }

    [Fact]
    public async Task ARepeatedOrLateCallbackChangesNothing()
    {
        var (alarmId, _) = await SosAsync("南京市/鼓楼区");
        var first = (await CallsAsync(alarmId, c => c.Count == 3 && c[0].Status == "sent", "the first call"))[0];
        await AnswerAsync(first.Id, "busy");
        await CallsAsync(alarmId, c => c[1].Status == "sent", "the second call");

        using var repeated = await Twilio.CallStatusAsync(first.Id, "busy");
        using var late = await Twilio.CallStatusAsync(first.Id, "ringing");

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent), (repeated.StatusCode, late.StatusCode));
        var calls = await Node.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={alarmId}&channel=voice");
        Assert.Equal(["unanswered", "sent", "waiting"], calls.Select(c => c.Status));
        Assert.Equal("busy", calls[0].ProviderStatus);
    }

    [Fact]
    public async Task AnUnknownCallStatusIsRefused()
    {
        var (alarmId, _) = await SosAsync("南京市/鼓楼区");
        var first = (await CallsAsync(alarmId, c => c.Count == 3 && c[0].Status == "sent", "the first call"))[0];

        using var response = await Twilio.CallStatusAsync(first.Id, "exploded");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>Plays the contact's side of a call through Twilio's status callbacks (and keypress).</summary>
    private async Task AnswerAsync(Guid callId, string answer)
    {
        var callbacks = answer switch
        {
            "confirm" => ["ringing", "in-progress", "1", "completed"],
            "hang-up" => ["ringing", "in-progress", "completed"],
            "failed" => new[] { "failed" },
            var status => ["ringing", status],
        };
        foreach (var callback in callbacks)
        {
            using var response = callback == "1" ? await Twilio.GatherAsync(callId, "1") : await Twilio.CallStatusAsync(callId, callback);
            Assert.True(response.IsSuccessStatusCode, $"{callback}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private Task<List<NotificationResponse>> CallsAsync(Guid alarmId, Func<List<NotificationResponse>, bool> condition, string what) =>
        TestNode.EventuallyAsync(() => Node.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={alarmId}&channel=voice"), condition, what);

    private async Task<(Guid AlarmId, Api.Elders.ElderResponse Elder)> SosAsync(string district)
    {
        var (elder, device) = await Node.ElderWithDeviceAsync(district: district, contacts: 3);
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        await watch.PublishEventAsync(Scenario.SosJson("tree"));
        return (Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm.Id, elder);
    }
}
