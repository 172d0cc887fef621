namespace ElderIoT.Tests.Infrastructure;

/// <summary>A test of something only SQLite has (its busy timeout, its file); skipped on a PostgreSQL run (<see cref="TestRecords"/>).</summary>
public sealed class SqliteOnlyFactAttribute : FactAttribute
{
    public SqliteOnlyFactAttribute()
    {
        if (TestRecords.OnPostgres)
        {
            Skip = "SQLite only: this run keeps the records in PostgreSQL";
        }
    }
}
