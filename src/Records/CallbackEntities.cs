using ElderIoT.Contracts;
using ElderIoT.Contracts.Callbacks;
using ElderIoT.Contracts.Elders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ElderIoT.Records;

/// <summary>
/// A call-back (回访) after an alarm: created by the alarm grain in the transaction that resolves the
/// alarm, completed by a seat through the API. At most one per alarm (unique index).
/// </summary>
public sealed class CallbackTaskRecord
{
    public Guid Id { get; set; }
    public Guid AlarmId { get; set; }
    public Guid ElderId { get; set; }
    public required string District { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public CallbackStatus Status { get; set; }
    public CallbackResult? Result { get; set; }
    public string? Notes { get; set; }
    public string? CompletedBy { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>The call-back part of the model, kept beside its entity.</summary>
internal static class CallbackModel
{
    public static void Configure(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<CallbackTaskRecord>(task =>
        {
            task.Property(t => t.District).HasMaxLength(200);
            task.Property(t => t.Status).HasConversion(new SnakeCaseEnumConverter<CallbackStatus>()).HasMaxLength(16);
            task.Property(t => t.Result).HasConversion(new SnakeCaseEnumConverter<CallbackResult>()).HasMaxLength(16);
            task.Property(t => t.CompletedBy).HasMaxLength(64);
            // Exactly once per alarm: a resolve that is retried after its commit cannot add a second.
            task.HasIndex(t => t.AlarmId).IsUnique();
            task.HasIndex(t => new { t.Status, t.DueAt });
            task.HasIndex(t => t.District);
        });
}

/// <summary>An enum stored as its snake_case word, as the other states are, so the rows read the same as the API.</summary>
public sealed class SnakeCaseEnumConverter<T>() : ValueConverter<T, string>(
    value => value.ToSnakeCase(),
    text => EnumNames.ParseSnakeCase<T>(text))
    where T : struct, Enum;

/// <summary>District-prefix filters of call-backs, with the same whole-segment rule as <see cref="DistrictPath"/>.</summary>
public static class CallbackQueries
{
    public static IQueryable<CallbackTaskRecord> WithinDistrict(this IQueryable<CallbackTaskRecord> tasks, string prefix)
    {
        var path = DistrictPath.Normalize(prefix);
        var below = path + "/";
        return tasks.Where(t => t.District == path || t.District.StartsWith(below));
    }

    /// <summary>Within any of <paramref name="prefixes"/> (whole segments), as one OR in the database.</summary>
    public static IQueryable<CallbackTaskRecord> WithinAnyDistrict(this IQueryable<CallbackTaskRecord> tasks, IReadOnlyList<string> prefixes)
    {
        var task = System.Linq.Expressions.Expression.Parameter(typeof(CallbackTaskRecord), "t");
        System.Linq.Expressions.Expression body = System.Linq.Expressions.Expression.Constant(false);
        foreach (var prefix in prefixes)
        {
            var path = DistrictPath.Normalize(prefix);
            var below = path + "/";
            System.Linq.Expressions.Expression<Func<CallbackTaskRecord, bool>> within = t => t.District == path || t.District.StartsWith(below);
            body = System.Linq.Expressions.Expression.OrElse(body, System.Linq.Expressions.Expression.Invoke(within, task));
        }

        return tasks.Where(System.Linq.Expressions.Expression.Lambda<Func<CallbackTaskRecord, bool>>(body, task));
    }
}
