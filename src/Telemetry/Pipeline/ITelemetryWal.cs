namespace ElderIoT.Telemetry.Pipeline;

/// <summary>
/// The local write-ahead log of acknowledged telemetry: an entry appended here survives kill -9 and is
/// replayed at the next start. Segments are deleted only once every entry in them is in the store or
/// on the spool.
/// </summary>
internal interface ITelemetryWal
{
    /// <summary>
    /// Appends the entries and returns, with the segment they are in, once the append is fsync'd.
    /// Concurrent callers share one fsync (group commit). Throws when the disk refused the append.
    /// </summary>
    Task<long> AppendAsync(IReadOnlyList<TelemetryEntry> entries, CancellationToken cancellationToken);

    /// <summary>Segments left by an earlier process, oldest first, to be replayed.</summary>
    IReadOnlyList<long> RecoveredSegments { get; }

    /// <summary>The entries of a recovered segment; from then on they count as outstanding in it.</summary>
    Task<IReadOnlyList<TelemetryEntry>> ReadSegmentAsync(long segment, CancellationToken cancellationToken);

    /// <summary><paramref name="count"/> entries of the segment are now in the store or on the spool.</summary>
    void Release(long segment, int count);

    /// <summary>Why the last append failed, or null when it succeeded.</summary>
    string? LastFailure { get; }

    /// <summary>The folder of the log, for health probes.</summary>
    string Directory { get; }
}
