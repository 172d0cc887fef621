using ElderIoT.Api.Alarms;
using ElderIoT.Api.Notifications;
using ElderIoT.Grains.Notifications;
using ElderIoT.Tests.EndToEnd;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;

namespace ElderIoT.Tests.Durability;

/// <summary>A text to the family that is being retried when the records' disk fills up.</summary>
[Collection(NodeCollection.Name)]
public sealed class NotificationsOnAFullDiskTests
{
    [Fact]
    public async Task ATextInFlightWhenTheDiskFillsIsSentOnceAndRecordedWhenSpaceReturns()
    {
        using var disk = SmallDisk.Mount();
        var sms = new FlakySmsSender();
        await using var node = await TestNode.StartAsync(
            dataDirectory: disk.Path,
            settings: new Dictionary<string, string?> { ["Notifications:FirstRetryDelay"] = "00:00:01" },
            services: s => s.AddSingleton<IFamilyNotifier>(sms));
        var (elder, device) = await node.ElderWithDeviceAsync(contacts: 1);
        await using var watch = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await watch.PublishEventAsync(Scenario.SosJson("sos-sms-full-disk"))).ReasonCode);
        var alarm = Assert.Single(await node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm;
        // The provider failed the first attempt; its retry is due in a second.
        await TestNode.EventuallyAsync(
            () => node.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={alarm.Id}"),
            n => n.Single().Attempts == 1, "the first, failed attempt to be recorded");

        disk.Fill();
        // The retry goes out, and its answer cannot be recorded; the grain and the sweeper try again.
        await TestNode.EventuallyAsync(
            () => Task.FromResult(node.Logs.Errors.Count(e => e.Exception?.ToString().Contains("database or disk is full") == true)),
            n => n >= 3,
            "the records to refuse the answer a few times");
        Assert.Equal(2, sms.Sends);

        disk.Free();
        var sent = await TestNode.EventuallyAsync(
            () => node.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={alarm.Id}"),
            n => n.Single().Status == "sent", "the text to be recorded as sent once space returns", TimeSpan.FromSeconds(60));

        Assert.Equal(2, sms.Sends);
        Assert.Equal("SM-2", sent.Single().ProviderMessageId);
        Assert.Equal(2, sent.Single().Attempts);
    }

    /// <summary>Fails the first send as a provider's 503 would, takes every later one.</summary>
    private sealed class FlakySmsSender : IFamilyNotifier
    {
        private int _sends;

        public int Sends => Volatile.Read(ref _sends);

        public Task<SendResult> SendSmsAsync(SmsMessage message, CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref _sends);
            return Task.FromResult(n == 1
                ? new SendResult(SendOutcome.TransientFailure, Error: "simulated: 503 from the provider")
                : new SendResult(SendOutcome.Accepted, ProviderId: $"SM-{n}"));
        }

        public Task<SendResult> CallAsync(VoiceCall call, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("this test's ladder only texts");
    }
}
