namespace Archiver.CouchDb.Replication;

/// <summary>
/// One replicated database at one replica: the replication's state as the central server reports it
/// (CouchDB 3: <c>_scheduler/docs</c>; pouchdb-server: the <c>_replicator</c> document), and the lag.
/// </summary>
/// <param name="Replica">The replica's name.</param>
/// <param name="Database">The archive (or rollup) database.</param>
/// <param name="State">running, completed, triggered, error, …; <c>none</c> when Archiver does not replicate it; <c>no-source</c> before anything is archived into it.</param>
/// <param name="DocsWritten">Documents the replication wrote, when the server says.</param>
/// <param name="Pending">Changes not yet replicated, when the server says (or its sequences allow counting).</param>
/// <param name="Checkpoint">The last source sequence checkpointed, as the server spells it.</param>
/// <param name="LagCampaigns">Campaigns of this database's set archived at the source and not yet complete at the replica.</param>
public sealed record ReplicaDatabaseStatus(string Replica, string Database, string State, long? DocsWritten, long? Pending, string? Checkpoint, int LagCampaigns);
