using ElderIoT.Contracts;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Api.Access;

/// <summary>
/// Appends one row per read of personal data: who, what, when, and why (the alarm being handled).
/// Written before the data is returned. When the records cannot take the row (a full or read-only
/// disk, a database outage), the read still happens and the entry goes to the log instead: a seat
/// must be able to open an elder's card while the records are failing — an alarm reaching a person
/// outranks the trail's storage — and the log line (ids only, no personal data) keeps the trail whole.
/// </summary>
public sealed partial class AuditTrail(IDbContextFactory<ElderIoTDbContext> contexts, TimeProvider clock, ILogger<AuditTrail> logger)
{
    public async Task RecordAsync(Caller caller, string action, Guid? elderId, string? subject, Guid? alarmId, CancellationToken cancellationToken = default)
    {
        var record = new AuditRecord
        {
            At = clock.GetUtcNow(),
            UserName = caller.UserName,
            Role = caller.Role.ToSnakeCase(),
            Action = action,
            ElderId = elderId,
            Subject = subject is { Length: > 100 } ? subject[..100] : subject,
            AlarmId = alarmId,
        };
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            db.Audit.Add(record);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogUnstored(exception, record.At, record.UserName, record.Role, record.Action, record.ElderId, record.Subject, record.AlarmId);
        }
    }

    [LoggerMessage(8801, LogLevel.Warning,
        "Audit row not stored (records failing), kept here: at {At} user {UserName} ({Role}) {Action} elder {ElderId} subject {Subject} alarm {AlarmId}")]
    private partial void LogUnstored(Exception exception, DateTimeOffset at, string userName, string role, string action, Guid? elderId, string? subject, Guid? alarmId);
}
