namespace Archiver.Queries;

/// <summary>The width of a statistics bucket. Buckets start on whole UTC minutes, hours and days.</summary>
public enum Granularity
{
    Minute,
    Hour,
    Day,
}
