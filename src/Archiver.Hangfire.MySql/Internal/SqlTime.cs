namespace Archiver.Hangfire.MySql.Internal;

/// <summary>Time as the server sees it: leases and expiry use the server's clock, never a client's.</summary>
internal static class SqlTime
{
    /// <summary>The FetchedAt of a queue row nobody has fetched: a fixed instant in the past, so that the column stays NOT NULL and indexable.</summary>
    public const string Unfetched = "'2000-01-01 00:00:00.000000'";

    /// <summary>SQL for "now plus @name microseconds".</summary>
    public static string NowPlus(string parameter) => $"UTC_TIMESTAMP(6) + INTERVAL @{parameter} MICROSECOND";

    public static long Micros(TimeSpan span) => (long)span.TotalMicroseconds;
}
