namespace Archiver.Documents;

/// <summary>The archive side of the engine: a CouchDB 3 compatible document database.</summary>
public interface IDocumentStore
{
    /// <summary>The largest document the server accepts (CouchDB's <c>max_document_size</c>); larger rows are refused before sending.</summary>
    long MaxDocumentBytes { get; }

    /// <summary>Creates the database if it does not exist.</summary>
    Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves a batch in one request. The answer has one entry per write (CouchDB keeps their order,
    /// pouchdb-server not always); per-document failures (conflicts included) are entries, not exceptions.
    /// The answer also says how many bytes the request's body held.
    /// </summary>
    Task<DocumentWriteAnswer> SaveAsync(string database, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>Looks up documents by id with their bodies, one answer per id.</summary>
    Task<IReadOnlyList<StoredDocument>> GetAsync(string database, IReadOnlyList<string> ids, CancellationToken cancellationToken = default);

    /// <summary>
    /// The live documents whose ids are in [<paramref name="startId"/>, <paramref name="endId"/>), in id
    /// order (<c>_all_docs</c>, no view index needed), fetched <paramref name="pageSize"/> at a time;
    /// with their bodies when <paramref name="includeDocs"/> is set.
    /// </summary>
    IAsyncEnumerable<StoredDocument> ReadRangeAsync(string database, string startId, string endId, bool includeDocs, int pageSize, CancellationToken cancellationToken = default);

    /// <summary>
    /// Brings every view index of the database up to date by querying every view of every design
    /// document (a database without design documents has nothing to do); returns how many views were
    /// queried.
    /// </summary>
    Task<int> RefreshViewsAsync(string database, CancellationToken cancellationToken = default);
}
