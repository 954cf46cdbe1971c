namespace Archiver.Views;

/// <summary>What deploying and inspecting design documents needs from the server (CouchDB 3 or pouchdb-server).</summary>
public interface IDesignStore
{
    Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default);

    /// <summary>The database's <c>update_seq</c> as text (opaque in CouchDB 3, an integer in pouchdb-server); null when the database does not exist.</summary>
    Task<string?> GetUpdateSeqAsync(string database, CancellationToken cancellationToken = default);

    /// <summary>The design document; null when it (or the database) does not exist.</summary>
    Task<StoredDesign?> GetDesignAsync(string database, string id, CancellationToken cancellationToken = default);

    /// <summary>Ids of every design document of the database (none when it does not exist).</summary>
    Task<IReadOnlyList<string>> ListDesignIdsAsync(string database, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces (with <paramref name="body"/>'s <c>_rev</c>) a design document; returns its new revision.</summary>
    Task<string> PutDesignAsync(string database, string id, byte[] body, CancellationToken cancellationToken = default);

    /// <summary>Server-side <c>COPY</c> of <paramref name="fromId"/> over <paramref name="toId"/> (at <paramref name="toRev"/>, null when it does not exist yet).</summary>
    Task CopyDesignAsync(string database, string fromId, string toId, string? toRev, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that the live <paramref name="design"/> uses the indexes built under <paramref name="stagingId"/>,
    /// where the server needs telling: pouchdb-server registers an index's users in <c>_local/mrviews</c>
    /// only when it first opens the index, which a copy with the same code never does (indexes are
    /// cached by code), so <c>_view_cleanup</c> would destroy the new index once the staging copy is
    /// gone, and would keep the replaced one. CouchDB 3 keys indexes by signature: nothing to do.
    /// </summary>
    Task AdoptIndexesAsync(string database, string stagingId, DesignDocument design, CancellationToken cancellationToken = default);

    Task DeleteDesignAsync(string database, string id, string rev, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns once the index work done so far for these design documents is on disk wherever the server
    /// holds it in memory a while. CouchDB 3 writes an index's progress <c>query_server_config/commit_freq</c>
    /// seconds (5 by default) after it changed, and an index process that stops before that loses it: it
    /// stops on a shard copy when the design document it was opened for is deleted and no other one has
    /// opened it there, and the next reader of that copy gets its last written state (empty for a new
    /// index). Deleting a staging copy does exactly that on a cluster's copies the live document has not
    /// opened yet. One copy (single node) or pouchdb-server: nothing to wait for.
    /// </summary>
    Task WaitForIndexCommitAsync(IReadOnlyCollection<(string Database, string DesignId)> designs, CancellationToken cancellationToken = default);

    /// <summary>Queries the view without <c>stale</c>, which returns once its index is up to date (within <c>CouchDb:ViewTimeout</c>).</summary>
    Task BuildViewAsync(string database, string designId, string view, bool hasReduce, CancellationToken cancellationToken = default);

    /// <summary>Starts an index build without waiting for it: a query whose answer is not awaited (both servers carry on building when the client leaves).</summary>
    Task StartViewBuildAsync(string database, string designId, string view, bool hasReduce, CancellationToken cancellationToken = default);

    /// <summary>The sequence the view's index has reached, read stale (builds nothing); compared with <see cref="GetUpdateSeqAsync"/>.</summary>
    Task<string?> GetViewSeqAsync(string database, string designId, string view, bool hasReduce, CancellationToken cancellationToken = default);

    /// <summary>
    /// The design document's index state from <c>GET /{db}/_design/{ddoc}/_info</c> (CouchDB 3); null
    /// where the server has no such report (pouchdb-server answers a stub) or the design document is missing.
    /// </summary>
    Task<DesignIndexInfo?> GetIndexInfoAsync(string database, string designId, CancellationToken cancellationToken = default);

    /// <summary>Index builds in progress, from <c>_active_tasks</c>.</summary>
    Task<IReadOnlyList<IndexerTask>> GetIndexerTasksAsync(CancellationToken cancellationToken = default);

    /// <summary><c>POST /db/_view_cleanup</c>: removes index files no design document uses any more.</summary>
    Task CleanupViewsAsync(string database, CancellationToken cancellationToken = default);
}
