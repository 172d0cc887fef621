using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Notifications;
using ElderIoT.Grains.Notifications;
using ElderIoT.Records;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Alarms;

/// <summary>
/// Notifications of an alarm: one row per recipient per step and channel (family contacts by text or
/// call tree, as the step's <see cref="EscalationStep.Channel"/> says, or the maintenance list for
/// maintenance alarms), with its words, made in memory and stored with the step. Rows are sent by
/// <see cref="INotificationGrain"/> once stored.
/// </summary>
internal sealed class AlarmNotifications(
    AlarmMessageComposer messages,
    IOptions<EscalationOptions> escalation,
    IOptions<NotificationOptions> notificationOptions)
{
    private readonly TimeZoneInfo _timeZone = TimeZoneInfo.FindSystemTimeZoneById(notificationOptions.Value.TimeZone);

    /// <summary>
    /// The rows a step makes. <paramref name="textedThisTime"/> spans the steps taken together (after a
    /// restart, or with no seat present), so each recipient is texted once whatever the steps say.
    /// </summary>
    public IEnumerable<NotificationRecord> ForStep(AlarmLifecycle alarm, TakenStep taken, AlarmElder? elder, DateTimeOffset now, HashSet<string> textedThisTime)
    {
        var step = taken.Step;
        if (step.Contacts != ContactAudience.None)
        {
            var contacts = elder?.Contacts ?? [];
            if (contacts.Count == 0)
            {
                alarm.AddTimeline(now, AlarmChange.NoContact, AlarmLifecycle.System, "the elder has no contact to text");
            }

            var recipients = (step.Contacts == ContactAudience.First ? contacts.Take(1) : contacts).ToList();
            // How long the alarm has waited: a later step's words say so, and differ from the first step's.
            var waited = now - alarm.Record.RaisedAt;
            var snapshot = alarm.ToSnapshot();
            if (step.Channel is ContactChannels.Sms or ContactChannels.Both)
            {
                foreach (var contact in recipients.Where(c => textedThisTime.Add(c.Phone)))
                {
                    alarm.AddTimeline(now, AlarmChange.SmsQueued, AlarmLifecycle.System, $"{contact.Name} ({contact.Relation}) {contact.Phone}", contact.Name, contact.Relation, contact.Phone);
                    yield return Row(alarm, taken.Level, contact.Name, contact.Phone, contact.Language, messages.Text(snapshot, elder!, contact, waited), now, sendAt: null);
                }
            }

            if (step.Channel is ContactChannels.Voice or ContactChannels.Both)
            {
                // A call tree: one call at a time in the elder's order; the next contact is called when
                // this one did not confirm (NotificationGrain passes it on). Keyed apart from the texts.
                var sequence = 0;
                foreach (var contact in recipients.Where(c => textedThisTime.Add("voice:" + c.Phone)))
                {
                    alarm.AddTimeline(now, AlarmChange.CallQueued, AlarmLifecycle.System, $"{contact.Name} ({contact.Relation}) {contact.Phone}", contact.Name, contact.Relation, contact.Phone);
                    var row = Row(alarm, taken.Level, contact.Name, contact.Phone, contact.Language, messages.Speech(snapshot, elder!, contact, waited), now, sendAt: null);
                    row.Channel = NotificationChannel.Voice.ToSnakeCase();
                    row.Sequence = sequence;
                    row.Status = (sequence == 0 ? NotificationStatus.Pending : NotificationStatus.Waiting).ToSnakeCase();
                    sequence++;
                    yield return row;
                }
            }
        }

        if (step.Maintenance)
        {
            // Maintenance waits for the morning: a silent watch at 3 a.m. wakes nobody.
            var sendAt = MorningIfNight(now);
            foreach (var recipient in escalation.Value.Maintenance.Recipients.Where(r => textedThisTime.Add(r.Phone)))
            {
                alarm.AddTimeline(now, AlarmChange.SmsQueued, AlarmLifecycle.System, $"{recipient.Name} (maintenance) {recipient.Phone}", recipient.Name, "maintenance", recipient.Phone);
                yield return Row(alarm, taken.Level, recipient.Name, recipient.Phone, recipient.Language,
                    messages.ComposeMaintenance(alarm.ToSnapshot(), elder, recipient.Language), now, sendAt);
            }
        }
    }

    /// <summary>Null by day; at night (in the centre's time zone) the end of the night.</summary>
    private DateTimeOffset? MorningIfNight(DateTimeOffset now)
    {
        var maintenance = escalation.Value.Maintenance;
        var local = TimeZoneInfo.ConvertTime(now, _timeZone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (!time.IsBetween(maintenance.NightStarts, maintenance.NightEnds))
        {
            return null;
        }

        var morning = local.Date + maintenance.NightEnds.ToTimeSpan();
        if (morning <= local.DateTime)
        {
            morning = morning.AddDays(1);
        }

        return new DateTimeOffset(morning, _timeZone.GetUtcOffset(morning)).ToUniversalTime();
    }

    private static NotificationRecord Row(AlarmLifecycle alarm, int level, string name, string phone, string language, string body, DateTimeOffset now, DateTimeOffset? sendAt) => new()
    {
        Id = Guid.NewGuid(),
        AlarmId = alarm.Record.Id,
        Step = level,
        Channel = "sms",
        RecipientName = name,
        Recipient = phone,
        Language = language,
        Body = body,
        Status = NotificationStatus.Pending.ToSnakeCase(),
        NextAttemptAt = sendAt,
        CreatedAt = now,
        UpdatedAt = now,
    };
}
