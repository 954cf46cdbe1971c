namespace Archiver.Documents;

/// <summary>The archive side of the engine: a CouchDB 3 compatible document database.</summary>
public interface IDocumentStore
{
    /// <summary>Creates the database, and the index that counts a campaign's documents, if they do not exist.</summary>
    Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves a batch in one request. The answer has one entry per write (CouchDB keeps their order,
    /// pouchdb-server not always); per-document failures (conflicts included) are entries, not exceptions.
    /// </summary>
    Task<IReadOnlyList<DocumentWriteResult>> SaveAsync(string database, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>Looks up documents by id with their bodies, one answer per id.</summary>
    Task<IReadOnlyList<StoredDocument>> GetAsync(string database, IReadOnlyList<string> ids, CancellationToken cancellationToken = default);

    /// <summary>Live documents with this <c>type</c> and <c>campaign_id</c>, counted by an index brought up to date first.</summary>
    Task<long> CountCampaignDocumentsAsync(string database, string type, long campaignId, CancellationToken cancellationToken = default);

    /// <summary>Those of <paramref name="ids"/> that are live documents with this <c>type</c> and <c>campaign_id</c>, from the same index.</summary>
    Task<IReadOnlySet<string>> FindCampaignDocumentsAsync(string database, string type, long campaignId, IReadOnlyList<string> ids, CancellationToken cancellationToken = default);

    /// <summary>The ids of those documents, read page by page.</summary>
    IAsyncEnumerable<string> StreamCampaignDocumentIdsAsync(string database, string type, long campaignId, int pageSize, CancellationToken cancellationToken = default);
}
