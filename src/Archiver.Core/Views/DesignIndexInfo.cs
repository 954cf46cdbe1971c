namespace Archiver.Views;

/// <summary>
/// CouchDB 3's <c>GET /{db}/_design/{ddoc}/_info</c> <c>view_index</c>: the index's signature, the
/// sequence it reached (opaque text: on a cluster a sum over shard copies, never compared with the
/// database's), whether an updater is running, and the changes it has still to index
/// (<c>updates_pending.preferred</c>: over the shard copies a stable read uses, as far as a cluster's
/// reports show them, see <c>CouchDbClient.GetIndexInfoAsync</c>; null when the server does not say).
/// </summary>
public sealed record DesignIndexInfo(string Signature, string UpdateSeq, bool UpdaterRunning, long? PendingUpdates);
