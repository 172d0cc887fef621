using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ElderIoT.Records;

/// <summary>
/// The alarm lane of the records: the connections the alarm path uses (an alarm's commits and reads,
/// the device's duplicate check and event record, the elder's snapshot, escalation steps, notifications
/// of an alarm, seat accept and resolve, the API's user check they wait for). Everything else (telemetry-driven rule loads, device
/// activations, snapshots, sweeps, API reads) takes the main <see cref="IDbContextFactory{ElderIoTDbContext}"/>.
/// </summary>
/// <remarks>
/// <para>
/// On PostgreSQL the lane is a pool of its own: the main connection string with
/// <see cref="ApplicationName"/> (a different string is a separate Npgsql pool, and the name shows in
/// <c>pg_stat_activity</c>) and at most <see cref="AlarmLaneOptions.AlarmLanePoolSize"/> connections.
/// Measured: when thousands of devices connected at once, their rule loads, activations and snapshots
/// held the one shared pool and an SOS waited 77–350 s for a connection, or failed after its timeout.
/// </para>
/// <para>
/// A pool of its own rather than a limiter that keeps bulk work below N minus a reserve: the limiter
/// would have to wrap every bulk call site (grains, workers, every API read), and one that forgot it
/// would starve alarms again; a separate pool isolates the alarm path by construction, needs no
/// change where bulk work is done, and is visible to the database's operator.
/// </para>
/// <para>
/// On SQLite the lane is the main factory itself: one file has one writer, whose lock every
/// connection waits for alike, and SQLite has no pool to exhaust (a connection is a file handle).
/// </para>
/// </remarks>
public sealed class AlarmRecords : IDbContextFactory<ElderIoTDbContext>
{
    /// <summary>The lane's <c>Application Name</c>: its pool's key in Npgsql, its name in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "elderiot-alarms";

    private readonly IDbContextFactory<ElderIoTDbContext> _factory;

    internal AlarmRecords(IDbContextFactory<ElderIoTDbContext> factory) => _factory = factory;

    /// <summary>The lane's connection string: the main one with the lane's name and pool size.</summary>
    public static string ConnectionString(string mainConnectionString, int poolSize) =>
        new NpgsqlConnectionStringBuilder(mainConnectionString)
        {
            ApplicationName = ApplicationName,
            MaxPoolSize = poolSize,
            MinPoolSize = Math.Min(new NpgsqlConnectionStringBuilder(mainConnectionString).MinPoolSize, poolSize),
        }.ConnectionString;

    /// <inheritdoc/>
    public ElderIoTDbContext CreateDbContext() => _factory.CreateDbContext();

    /// <inheritdoc/>
    public Task<ElderIoTDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) => _factory.CreateDbContextAsync(cancellationToken);
}

/// <summary>The alarm lane's size (section <c>Records</c>).</summary>
public sealed class AlarmLaneOptions
{
    public const string SectionName = "Records";

    /// <summary>
    /// Most connections the alarm lane holds per node on PostgreSQL, besides the main pool's
    /// (<c>Maximum Pool Size</c> of <c>ConnectionStrings:ElderIoT</c>, Npgsql's default 100).
    /// </summary>
    public int AlarmLanePoolSize { get; set; } = 10;
}
