namespace Archiver.Queries;

/// <summary>
/// Bucket arithmetic shared by both stores. A series between two times covers every bucket that
/// overlaps [from, to), each counted whole: the rollups hold whole minutes, so a range that starts
/// or ends inside a bucket cannot be cut there from the archive, and the live store must answer the same.
/// </summary>
public static class TimeBuckets
{
    /// <summary>The start of the bucket holding <paramref name="time"/> (UTC).</summary>
    public static DateTime Floor(DateTime time, Granularity granularity)
    {
        var utc = AsUtc(time);
        return granularity switch
        {
            Granularity.Minute => new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc),
            Granularity.Hour => new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerHour), DateTimeKind.Utc),
            Granularity.Day => new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerDay), DateTimeKind.Utc),
            _ => throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "unknown granularity"),
        };
    }

    /// <summary>The start of the first bucket at or after <paramref name="time"/>.</summary>
    public static DateTime Ceiling(DateTime time, Granularity granularity)
    {
        var floor = Floor(time, granularity);
        return floor == AsUtc(time) ? floor : floor + Width(granularity);
    }

    public static TimeSpan Width(Granularity granularity) => granularity switch
    {
        Granularity.Minute => TimeSpan.FromMinutes(1),
        Granularity.Hour => TimeSpan.FromHours(1),
        Granularity.Day => TimeSpan.FromDays(1),
        _ => throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "unknown granularity"),
    };

    /// <summary>
    /// MySQL DATETIME values are UTC (the schema says so); an unspecified time is taken as UTC,
    /// a local one converted.
    /// </summary>
    public static DateTime AsUtc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };
}
