namespace Archiver.Documents;

/// <summary>The archive side of the engine: a CouchDB 3 compatible document database.</summary>
public interface IDocumentStore
{
    /// <summary>Creates the database if it does not exist.</summary>
    Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves a batch in one request. The answer has one entry per write, in order; per-document
    /// failures (conflicts included) are entries, not exceptions.
    /// </summary>
    Task<IReadOnlyList<DocumentWriteResult>> SaveAsync(string database, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>Looks up documents by id, one answer per id, in order; bodies only when <paramref name="includeDocs"/>.</summary>
    Task<IReadOnlyList<StoredDocument>> GetAsync(string database, IReadOnlyList<string> ids, bool includeDocs, CancellationToken cancellationToken = default);
}
