using ElderIoT.Contracts;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Api.Access;

/// <summary>
/// Appends one row per read of personal data: who, what, when, and why (the alarm being handled).
/// Written before the data is returned, so a read the trail cannot record does not happen.
/// </summary>
public sealed class AuditTrail(IDbContextFactory<ElderIoTDbContext> contexts, TimeProvider clock)
{
    public async Task RecordAsync(Caller caller, string action, Guid? elderId, string? subject, Guid? alarmId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Audit.Add(new AuditRecord
        {
            At = clock.GetUtcNow(),
            UserName = caller.UserName,
            Role = caller.Role.ToSnakeCase(),
            Action = action,
            ElderId = elderId,
            Subject = subject is { Length: > 100 } ? subject[..100] : subject,
            AlarmId = alarmId,
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
