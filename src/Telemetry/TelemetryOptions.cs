namespace ElderIoT.Telemetry;

/// <summary>Time series settings (section <c>Telemetry</c>).</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary><c>embedded</c> (SQLite beside the records, the default) or <c>influxdb</c>.</summary>
    public string Store { get; set; } = "embedded";

    /// <summary>Points per write.</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>Longest a point waits in memory before its batch is written.</summary>
    public TimeSpan BatchAge { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Points held in memory at most; beyond, producers wait (back-pressure), nothing is dropped.</summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>Folder of the disk spool used while the store is down; relative paths are under Storage:DataDirectory.</summary>
    public string SpoolDirectory { get; set; } = "telemetry-spool";

    /// <summary>
    /// Folder of the write-ahead log that QoS 1 telemetry is fsync'd to before its PUBACK; relative
    /// paths are under Storage:DataDirectory. Put it on a local disk.
    /// </summary>
    public string WalDirectory { get; set; } = "telemetry-wal";

    /// <summary>Size at which a log segment is closed; it is deleted once all its points are stored (or spooled).</summary>
    public long WalSegmentBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How long points are kept.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Longest time range one query may span.</summary>
    public TimeSpan MaxQuerySpan { get; set; } = TimeSpan.FromDays(31);

    /// <summary>InfluxDB settings, used when <see cref="Store"/> is <c>influxdb</c>.</summary>
    public InfluxDbOptions InfluxDb { get; set; } = new();
}

/// <summary>
/// InfluxDB over its HTTP API: line protocol to <c>/write</c>, InfluxQL to <c>/query</c>. InfluxDB 1.x:
/// Database (+ RetentionPolicy, Username/Password). InfluxDB 2.x and 3.x through their v1-compatible
/// API: Database = bucket (mapped with a DBRP for 2.x), Token.
/// </summary>
public sealed class InfluxDbOptions
{
    public Uri Url { get; set; } = new("http://127.0.0.1:8086");

    /// <summary>
    /// The API the server speaks for writes: 1 (InfluxDB 1.x, <c>/write</c>), or 2 (InfluxDB 2.x and 3.x,
    /// <c>/api/v2/write</c> with <see cref="Org"/>, <see cref="Bucket"/> and <see cref="Token"/>). Reads are
    /// InfluxQL on <c>/query</c> for both.
    /// </summary>
    public int Version { get; set; } = 1;

    /// <summary>Database for InfluxQL reads (and 1.x writes); on 2.x the bucket's DBRP mapping, on 3.x the database name.</summary>
    public string Database { get; set; } = "elderiot";

    /// <summary>Organisation written to (version 2).</summary>
    public string? Org { get; set; }

    /// <summary>Bucket written to (version 2); <see cref="Database"/> when empty.</summary>
    public string? Bucket { get; set; }

    /// <summary>The bucket version 2 writes go to.</summary>
    public string BucketOrDatabase => string.IsNullOrWhiteSpace(Bucket) ? Database : Bucket;

    /// <summary>Retention policy name; created (1.x) with <see cref="TelemetryOptions.Retention"/> when <see cref="CreateDatabase"/>.</summary>
    public string? RetentionPolicy { get; set; } = "elderiot";
    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>API token (InfluxDB 2.x / 3.x), sent as <c>Authorization: Token …</c>.</summary>
    public string? Token { get; set; }

    /// <summary>Create the database and retention policy at start (InfluxDB 1.x; turn off for 2.x/3.x).</summary>
    public bool CreateDatabase { get; set; } = true;
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
