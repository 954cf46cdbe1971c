namespace Archiver.Views;

/// <summary>
/// CouchDB 3's <c>GET /{db}/_design/{ddoc}/_info</c> <c>view_index</c>: the index's signature and the
/// sequence it reached (opaque text: on a cluster a sum over whichever shard copies answered, never
/// compared with the database's). Its <c>updates_pending</c> is not read: on a cluster it describes
/// those same arbitrary copies (see <see cref="IDesignStore.GetPendingChangesAsync"/>).
/// </summary>
public sealed record DesignIndexInfo(string Signature, string UpdateSeq);
