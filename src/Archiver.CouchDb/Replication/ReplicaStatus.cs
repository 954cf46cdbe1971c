namespace Archiver.CouchDb.Replication;

/// <summary>One replica: its address, whether it answered, how many archived campaigns it lacks, and its databases.</summary>
public sealed record ReplicaStatus(string Replica, string Url, string Mode, bool Reachable, int LagCampaigns, int NewlyComplete, IReadOnlyList<ReplicaDatabaseStatus> Databases, string? Problem);
