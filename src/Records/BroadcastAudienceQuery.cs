using ElderIoT.Contracts.Broadcasts;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Records;

/// <summary>
/// Who a broadcast audience holds: the one selection the preview counts and the broadcast sends to,
/// so the count a supervisor confirms is the count that goes out.
/// </summary>
public static class BroadcastAudienceQuery
{
    /// <summary>One selected elder and why they would or would not be messaged.</summary>
    public sealed record Member(Guid ElderId, string? Phone, string Language, bool Consent, bool OptedOut)
    {
        public bool WillReceive => Consent && !OptedOut && !string.IsNullOrWhiteSpace(Phone);
    }

    /// <summary>The elders the criteria select, with their consent; <paramref name="today"/> is the centre's date, for ages.</summary>
    public static async Task<List<Member>> SelectAsync(ElderIoTDbContext db, BroadcastAudience audience, DateOnly today, CancellationToken cancellationToken)
    {
        var elders = db.Elders.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(audience.DistrictPrefix))
        {
            elders = elders.WithinDistrict(audience.DistrictPrefix);
        }

        // Age n on today means born in (today − (n+1) years, today − n years].
        if (audience.MinAge is { } min)
        {
            var bornBy = today.AddYears(-min);
            elders = elders.Where(e => e.BirthDate != null && e.BirthDate <= bornBy);
        }

        if (audience.MaxAge is { } max)
        {
            var bornAfter = today.AddYears(-(max + 1));
            elders = elders.Where(e => e.BirthDate != null && e.BirthDate > bornAfter);
        }

        if (audience.CareLevels.Count > 0)
        {
            var levels = audience.CareLevels.ToList();
            elders = elders.Where(e => e.CareLevel != null && levels.Contains(e.CareLevel));
        }

        var rows = await elders
            .GroupJoin(db.Consents, e => e.Id, c => c.ElderId, (e, c) => new { Elder = e, Consent = c })
            .SelectMany(x => x.Consent.DefaultIfEmpty(), (x, c) => new
            {
                x.Elder.Id,
                x.Elder.Phone,
                x.Elder.Language,
                x.Elder.Conditions,
                Consent = c != null && c.CareMessages,
                OptedOut = c != null && c.CareMessagesOptedOutAt != null,
            })
            .ToListAsync(cancellationToken);

        // Conditions are a list on the record: matched here, any of the named ones, case-insensitively.
        var conditions = audience.Conditions.Select(c => c.Trim()).Where(c => c.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. rows
            .Where(r => conditions.Count == 0 || r.Conditions.Any(conditions.Contains))
            .Select(r => new Member(r.Id, r.Phone, r.Language, r.Consent, r.OptedOut))];
    }

    /// <summary>The counts of a selection, as the preview shows them.</summary>
    public static BroadcastAudienceCount Count(IReadOnlyCollection<Member> members) => new(
        members.Count,
        members.Count(m => m.WillReceive),
        members.Count(m => !m.Consent && !m.OptedOut),
        members.Count(m => m.OptedOut),
        members.Count(m => m.Consent && !m.OptedOut && string.IsNullOrWhiteSpace(m.Phone)));
}
