namespace Archiver.Queries;

/// <summary>Entries and winners of one campaign in the bucket that starts at <see cref="BucketStart"/> (UTC).</summary>
public sealed record StatisticsPoint(DateTime BucketStart, long Count, long Winners);
