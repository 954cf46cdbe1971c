namespace Archiver.CouchDb.Replication;

/// <summary>Counts of the failover store since start: reads answered, servers given up on mid-read, reads no server answered.</summary>
public sealed record ReadStatistics(long Reads, long Failovers, long FailedReads);
