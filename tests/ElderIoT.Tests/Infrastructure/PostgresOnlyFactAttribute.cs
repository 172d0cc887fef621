namespace ElderIoT.Tests.Infrastructure;

/// <summary>A test of something only PostgreSQL has (connection pools, pg_stat_activity); skipped on the SQLite run (<see cref="TestRecords"/>).</summary>
public sealed class PostgresOnlyFactAttribute : FactAttribute
{
    public PostgresOnlyFactAttribute()
    {
        if (!TestRecords.OnPostgres)
        {
            Skip = "PostgreSQL only: runs in the PostgreSQL pass (ELDERIOT_TEST_RECORDS=postgres)";
        }
    }
}
