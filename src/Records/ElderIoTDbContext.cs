using ElderIoT.Contracts.Alarms;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ElderIoT.Records;

/// <summary>
/// The relational records of ElderIoT. The model is provider-neutral: it runs on SQLite (the
/// embedded default) and on PostgreSQL.
/// </summary>
public sealed class ElderIoTDbContext(DbContextOptions<ElderIoTDbContext> options) : DbContext(options)
{
    public DbSet<ElderRecord> Elders => Set<ElderRecord>();
    public DbSet<ContactRecord> Contacts => Set<ContactRecord>();
    public DbSet<DeviceRecord> Devices => Set<DeviceRecord>();
    public DbSet<DeviceEventRecord> DeviceEvents => Set<DeviceEventRecord>();
    public DbSet<AlarmRecord> Alarms => Set<AlarmRecord>();
    public DbSet<AlarmTimelineRecord> AlarmTimeline => Set<AlarmTimelineRecord>();
    public DbSet<NotificationRecord> Notifications => Set<NotificationRecord>();
    public DbSet<SeatRecord> Seats => Set<SeatRecord>();
    public DbSet<DeviceCommandRecord> DeviceCommands => Set<DeviceCommandRecord>();
    public DbSet<GeofenceRecord> Geofences => Set<GeofenceRecord>();
    public DbSet<GeofenceSettingsRecord> GeofenceSettings => Set<GeofenceSettingsRecord>();
    public DbSet<ElderRuleSettingsRecord> ElderRuleSettings => Set<ElderRuleSettingsRecord>();
    public DbSet<ResponderRecord> Responders => Set<ResponderRecord>();
    public DbSet<VisitRecord> Visits => Set<VisitRecord>();
    public DbSet<UserRecord> Users => Set<UserRecord>();
    public DbSet<AuditRecord> Audit => Set<AuditRecord>();
    public DbSet<ElderConsentRecord> Consents => Set<ElderConsentRecord>();
    public DbSet<BroadcastRecord> Broadcasts => Set<BroadcastRecord>();
    public DbSet<BroadcastMessageRecord> BroadcastMessages => Set<BroadcastMessageRecord>();
    public DbSet<DeviceCredentialChangeRecord> DeviceCredentialChanges => Set<DeviceCredentialChangeRecord>();
    public DbSet<CallbackTaskRecord> CallbackTasks => Set<CallbackTaskRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no native DateTimeOffset, and EF cannot order or compare it there; stored as a
        // sortable binary it can. PostgreSQL keeps its native timestamptz, in UTC.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
        else
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcInstantConverter>();
        }

        configurationBuilder.Properties<string>().HaveConversion<TextWithoutNulConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ElderRecord>(elder =>
        {
            elder.Property(e => e.Name).HasMaxLength(100);
            elder.Property(e => e.District).HasMaxLength(200);
            elder.HasIndex(e => e.District);
            elder.HasMany(e => e.Contacts).WithOne().HasForeignKey(c => c.ElderId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<ContactRecord>().HasIndex(c => new { c.ElderId, c.Position });

        modelBuilder.Entity<DeviceRecord>(device =>
        {
            device.Property(d => d.Id).HasMaxLength(64);
            device.HasIndex(d => d.ElderId);
        });

        modelBuilder.Entity<DeviceCredentialChangeRecord>(change =>
        {
            change.Property(c => c.DeviceId).HasMaxLength(64);
            change.Property(c => c.Change).HasMaxLength(32);
            change.HasIndex(c => c.DeviceId);
        });

        modelBuilder.Entity<DeviceEventRecord>(deviceEvent =>
        {
            deviceEvent.Property(e => e.ContentKey).HasMaxLength(64);
            deviceEvent.HasIndex(e => new { e.DeviceId, e.EventId, e.ContentKey }).IsUnique();
            deviceEvent.HasIndex(e => e.AlarmId);
        });

        modelBuilder.Entity<AlarmRecord>(alarm =>
        {
            // Alarms stored before severities existed were all of the kinds that are critical now; the
            // sentinel (no value) lets every new row send its own severity, Low (0) included.
            alarm.Property(a => a.Severity).HasDefaultValue(AlarmSeverity.Critical).HasSentinel((AlarmSeverity)(-1));
            alarm.HasIndex(a => new { a.Status, a.NextStepDueAt });
            alarm.HasIndex(a => new { a.ElderId, a.Status });
            alarm.HasIndex(a => a.District);
            alarm.HasIndex(a => a.RaisedAt);
            if (Database.IsNpgsql())
            {
                // A text[] column added to a table with rows needs a value for them: without a default the
                // upgrade of a centre's database with alarms in it fails ("contains null values").
                // SQLite's JSON text columns get '[]' from EF itself.
                alarm.Property(a => a.Sources).HasDefaultValueSql("'{}'");
                alarm.Property(a => a.ClearedSources).HasDefaultValueSql("'{}'");
                alarm.Property(a => a.Findings).HasDefaultValueSql("'{}'");
            }
        });
        modelBuilder.Entity<AlarmTimelineRecord>().HasIndex(t => new { t.AlarmId, t.At });

        modelBuilder.Entity<NotificationRecord>(notification =>
        {
            notification.HasIndex(n => new { n.AlarmId, n.Step, n.Channel, n.Recipient }).IsUnique();
            notification.HasIndex(n => new { n.Status, n.NextAttemptAt });
            // The supervisors' list across alarms (newest first), and a family reply matched by its sender.
            notification.HasIndex(n => n.CreatedAt);
            notification.HasIndex(n => new { n.Recipient, n.CreatedAt });
        });

        modelBuilder.Entity<BroadcastRecord>(broadcast =>
        {
            broadcast.Property(b => b.Status).HasMaxLength(16);
            broadcast.Property(b => b.Channel).HasMaxLength(8).HasDefaultValue("sms");
            broadcast.HasIndex(b => b.Status);
        });
        modelBuilder.Entity<BroadcastMessageRecord>(message =>
        {
            message.Property(m => m.Status).HasMaxLength(16);
            message.Property(m => m.ProviderStatus).HasMaxLength(16);
            message.HasIndex(m => new { m.BroadcastId, m.Status, m.Id });
            // A text to the centre's number is matched to the elders whom care messages reached at it (opt-out).
            message.HasIndex(m => m.Phone);
        });

        modelBuilder.Entity<DeviceCommandRecord>(command =>
        {
            command.Property(c => c.DeviceId).HasMaxLength(64);
            command.Property(c => c.State).HasMaxLength(16);
            command.HasIndex(c => new { c.DeviceId, c.State, c.Sequence });
            command.HasIndex(c => new { c.State, c.ExpiresAt });
        });

        GeofenceModel.Configure(modelBuilder);
        AccessModel.Configure(modelBuilder);
        CallbackModel.Configure(modelBuilder);
        RuleModel.Configure(modelBuilder);
    }
}
