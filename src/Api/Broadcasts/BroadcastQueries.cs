using ElderIoT.Contracts;
using ElderIoT.Contracts.Broadcasts;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Api.Broadcasts;

/// <summary>The read side of a broadcast's messages (the grain writes them).</summary>
public static class BroadcastQueries
{
    /// <summary>Each recipient's text or call, in the order they went out.</summary>
    public static async Task<List<BroadcastRecipient>> RecipientsAsync(ElderIoTDbContext db, Guid broadcastId, CancellationToken cancellationToken)
    {
        var rows = await db.BroadcastMessages.AsNoTracking().Where(m => m.BroadcastId == broadcastId).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        return [.. rows.Select(m => new BroadcastRecipient(
            m.Id, m.ElderId, m.Phone, m.Language, EnumNames.ParseSnakeCase<BroadcastMessageStatus>(m.Status), m.ProviderStatus, m.Error, m.SentAt))];
    }
}
