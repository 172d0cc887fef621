using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Records;

/// <summary>
/// A person who signs in to the API. Written by the users API; the password is kept only as a hash
/// made by ASP.NET Core Identity's password hasher (PBKDF2 with a salt of its own per user).
/// </summary>
public sealed class UserRecord
{
    public required string UserName { get; set; }
    public required string PasswordHash { get; set; }

    /// <summary>seat, supervisor, admin, installer or family (snake_case of the API's role).</summary>
    public required string Role { get; set; }

    /// <summary>District prefixes a seat may go on duty for and whose elders it may read while handling their alarm.</summary>
    public List<string> Districts { get; set; } = [];

    /// <summary>The seat this person acts as (a seat's identity: it accepts and resolves alarms as this id).</summary>
    public string? SeatId { get; set; }

    /// <summary>For a family member: the one elder they may see.</summary>
    public Guid? ElderId { get; set; }

    public bool Disabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One read of personal data: who read what, when, and why (the alarm being handled). Append-only:
/// the API writes rows and lists them, and has no way to change or delete one.
/// </summary>
public sealed class AuditRecord
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string UserName { get; set; }
    public required string Role { get; set; }

    /// <summary>What was read, as a snake_case word: elder, elder_list, alarm, positions, vitals, events, telemetry …</summary>
    public required string Action { get; set; }

    /// <summary>The elder whose data was read, when one was.</summary>
    public Guid? ElderId { get; set; }

    /// <summary>The record read (an alarm id, a device id), when it is not the elder.</summary>
    public string? Subject { get; set; }

    /// <summary>Why: the alarm the reader was handling, if any.</summary>
    public Guid? AlarmId { get; set; }
}

/// <summary>
/// The elder's consent (知情同意), kept beside the elder record: what the family may see. Written by
/// the consent endpoint only, so the elder grain's record and its writers stay as they are. Without a
/// row nothing is consented to: nothing shared, no care message sent.
/// </summary>
public sealed class ElderConsentRecord
{
    public Guid ElderId { get; set; }

    /// <summary>The family view shows the elder's last known position.</summary>
    public bool ShareLocationWithFamily { get; set; }

    /// <summary>The family view shows health readings (heart rate).</summary>
    public bool ShareHealthWithFamily { get; set; }

    /// <summary>The elder receives the centre's care messages (broadcasts: weather warnings, health tips).</summary>
    public bool CareMessages { get; set; }

    /// <summary>When a consent to care messages once given was withdrawn (an opt-out); cleared when given anew.</summary>
    public DateTimeOffset? CareMessagesOptedOutAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }

    /// <summary>
    /// Gives or withdraws the consent to care messages: withdrawing one once given is an opt-out, kept
    /// with its time; giving it anew clears it. The one rule for the consent endpoint and a texted 退订/START.
    /// </summary>
    public void SetCareMessages(bool consent, DateTimeOffset now, string by)
    {
        CareMessagesOptedOutAt = consent ? null : CareMessages ? now : CareMessagesOptedOutAt;
        CareMessages = consent;
        UpdatedAt = now;
        UpdatedBy = by;
    }
}

/// <summary>The model of the access tables (users, audit, consent), in one place.</summary>
internal static class AccessModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserRecord>(user =>
        {
            user.HasKey(u => u.UserName);
            user.Property(u => u.UserName).HasMaxLength(64);
            user.Property(u => u.Role).HasMaxLength(16);
            user.Property(u => u.SeatId).HasMaxLength(64);
            user.HasIndex(u => u.SeatId);
        });
        modelBuilder.Entity<AuditRecord>(audit =>
        {
            audit.Property(a => a.UserName).HasMaxLength(64);
            audit.Property(a => a.Role).HasMaxLength(16);
            audit.Property(a => a.Action).HasMaxLength(32);
            audit.Property(a => a.Subject).HasMaxLength(100);
            audit.HasIndex(a => a.At);
            audit.HasIndex(a => new { a.ElderId, a.At });
            audit.HasIndex(a => new { a.UserName, a.At });
        });
        modelBuilder.Entity<ElderConsentRecord>().HasKey(c => c.ElderId);
    }
}
