using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Callbacks;
using ElderIoT.Records;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Callbacks;

/// <summary>
/// The one rule of which resolved alarms are followed by a call-back (回访) and when it is due: after a
/// real emergency someone checks the elder is well; after nobody could be reached, someone tries again.
/// </summary>
public sealed class CallbackSchedule(IOptions<CallbackOptions> options)
{
    public static bool Follows(AlarmOutcome outcome) => outcome is AlarmOutcome.RealEmergency or AlarmOutcome.NoContact;

    /// <summary>The call-back a resolution at <paramref name="resolvedAt"/> calls for, or null.</summary>
    public CallbackTaskRecord? For(AlarmRecord alarm, AlarmOutcome outcome, DateTimeOffset resolvedAt) =>
        Follows(outcome)
            ? new CallbackTaskRecord
            {
                Id = Guid.NewGuid(),
                AlarmId = alarm.Id,
                ElderId = alarm.ElderId,
                District = alarm.District,
                CreatedAt = resolvedAt,
                DueAt = resolvedAt + options.Value.DueWithin,
                Status = CallbackStatus.Pending,
            }
            : null;
}
