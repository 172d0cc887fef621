using System.Diagnostics.Metrics;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Notifications;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Api.Notifications;

/// <summary>
/// A text to the centre's number, matched to the contact of an elder with an open alarm (the alarm
/// that reached this number last), and recorded on that alarm: "going", or a message for the seat.
/// </summary>
public sealed partial class FamilyReplies(
    IDbContextFactory<ElderIoTDbContext> contexts, IGrainFactory grains, IMeterFactory meters, ILogger<FamilyReplies> logger)
{
    private static readonly string Resolved = AlarmStatus.Resolved.ToSnakeCase();

    private readonly Counter<long> _replies = meters.Create(ApiMetrics.MeterName)
        .CreateCounter<long>("elderiot.notifications.replies", description: "Texts to the centre's number, by result (going, message, unmatched).");

    /// <summary>
    /// Records the reply; false when the number reached no open alarm (counted and logged as unmatched
    /// unless <paramref name="countUnmatched"/> is false: a care opt-out from an elder is not a stray text).
    /// </summary>
    public async Task<bool> RecordAsync(string from, string body, CancellationToken cancellationToken, bool countUnmatched = true)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var match = await db.Notifications.AsNoTracking()
            .Where(n => n.Recipient == from)
            .Join(db.Alarms.Where(a => a.Status != Resolved), n => n.AlarmId, a => a.Id, (n, a) => new { n.AlarmId, n.RecipientName, n.CreatedAt })
            .OrderByDescending(x => x.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (match is null)
        {
            if (!countUnmatched)
            {
                return false;
            }

            _replies.Add(1, new KeyValuePair<string, object?>("result", "unmatched"));
            LogUnmatched(Masked(from));
            return false;
        }

        var kind = FamilyReplyWords.MeansGoing(body) ? FamilyResponseKind.Going : FamilyResponseKind.Message;
        await grains.GetGrain<IAlarmGrain>(match.AlarmId).RecordFamilyResponseAsync(
            new FamilyResponse(match.RecipientName, from, kind, NotificationChannel.Sms, body.Trim()));
        _replies.Add(1, new KeyValuePair<string, object?>("result", kind.ToSnakeCase()));
        return true;
    }

    // The log names no whole number of someone the centre does not know.
    private static string Masked(string phone) => phone.Length > 4 ? new string('*', phone.Length - 4) + phone[^4..] : "****";

    [LoggerMessage(3301, LogLevel.Information, "A text from {From} matches no contact of an open alarm; not recorded")]
    private partial void LogUnmatched(string from);
}
