using System.Diagnostics.Metrics;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Contracts.Notifications;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Api.Broadcasts;

/// <summary>
/// A texted 退订/TD/T/STOP/UNSUBSCRIBE/取消 or START/订阅 (the whole text: <see cref="CareMessageWords"/>).
/// From a number that care broadcasts reached, it withdraws or gives anew the consent to care messages
/// of the elders reached there, in the same transaction as an audit row saying who, when and the word.
/// From a family contact (who gets no care messages, only alarm texts) the wish is recorded in the
/// audit trail and alarm texts go on: every alarm must reach a person, and only the centre changes
/// who an elder's contacts are. Nothing here touches alarm notifications.
/// </summary>
public sealed partial class CareMessageOptOuts(
    IDbContextFactory<ElderIoTDbContext> contexts, TimeProvider clock, IMeterFactory meters, ILogger<CareMessageOptOuts> logger)
{
    /// <summary>Audit actions (GET /api/audit?action=…).</summary>
    public const string ElderOptOut = "care_opt_out";
    public const string ElderOptIn = "care_opt_in";
    public const string FamilyOptOut = "family_opt_out_request";
    public const string FamilyOptIn = "family_opt_in_request";

    private readonly Counter<long> _changes = meters.Create(ApiMetrics.MeterName)
        .CreateCounter<long>("elderiot.broadcasts.opt_outs", description: "Texted opt-outs and opt-ins of care messages, by change (opt_out, opt_in) and sender (elder, family).");

    /// <summary>
    /// The answer to text back in the sender's language, or null when the text is not one of the words,
    /// or the number is neither one that care messages reached nor a family contact's.
    /// </summary>
    public async Task<string?> HandleAsync(string from, string body, CancellationToken cancellationToken)
    {
        if (!CareMessageWords.TryParse(body, out var reply))
        {
            return null;
        }

        var optIn = reply == CareMessageReply.OptIn;
        var word = body.Trim() is { Length: > 100 } longer ? longer[..100] : body.Trim();
        var who = "sms:" + from;
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var elders = await db.BroadcastMessages.AsNoTracking().Where(m => m.Phone == from).Select(m => m.ElderId).Distinct().ToListAsync(cancellationToken);
        if (elders.Count > 0)
        {
            // A phone two elders share (a couple's) asked for both: the number is what said stop.
            var consents = await db.Consents.Where(c => elders.Contains(c.ElderId)).ToDictionaryAsync(c => c.ElderId, cancellationToken);
            foreach (var elderId in elders)
            {
                if (!consents.TryGetValue(elderId, out var consent))
                {
                    db.Consents.Add(consent = new ElderConsentRecord { ElderId = elderId, UpdatedBy = who });
                }

                consent.SetCareMessages(optIn, now, who);
                db.Audit.Add(Audit(now, who, "elder", optIn ? ElderOptIn : ElderOptOut, elderId, word));
            }

            var language = await db.Elders.AsNoTracking().Where(e => elders.Contains(e.Id)).Select(e => e.Language).FirstOrDefaultAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            Count(reply, "elder");
            LogElderChange(reply, elders.Count);
            return (optIn ? ApiTexts.CareOptedIn : ApiTexts.CareOptedOut).In(language ?? ApiLanguages.Centre);
        }

        var contacts = await db.Contacts.AsNoTracking().Where(c => c.Phone == from).Select(c => new { c.ElderId, c.Language }).ToListAsync(cancellationToken);
        if (contacts.Count > 0)
        {
            foreach (var elderId in contacts.Select(c => c.ElderId).Distinct())
            {
                db.Audit.Add(Audit(now, who, "family", optIn ? FamilyOptIn : FamilyOptOut, elderId, word));
            }

            await db.SaveChangesAsync(cancellationToken);
            Count(reply, "family");
            LogFamilyWish(reply);
            return (optIn ? ApiTexts.FamilyOptInNoted : ApiTexts.FamilyOptOutNoted).In(contacts[0].Language);
        }

        return null;
    }

    private static AuditRecord Audit(DateTimeOffset at, string who, string role, string action, Guid elderId, string word) =>
        new() { At = at, UserName = who, Role = role, Action = action, ElderId = elderId, Subject = word };

    private void Count(CareMessageReply reply, string sender) => _changes.Add(
        1, new KeyValuePair<string, object?>("change", reply == CareMessageReply.OptIn ? "opt_in" : "opt_out"), new KeyValuePair<string, object?>("sender", sender));

    [LoggerMessage(3401, LogLevel.Information, "A texted {Reply} changed the consent to care messages of {Elders} elder(s)")]
    private partial void LogElderChange(CareMessageReply reply, int elders);

    [LoggerMessage(3402, LogLevel.Information, "A family contact texted {Reply}: recorded; alarm texts to them go on")]
    private partial void LogFamilyWish(CareMessageReply reply);
}
