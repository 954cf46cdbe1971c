namespace Archiver.CouchDb.Queries;

/// <summary>
/// The archive answered a read with something it cannot stand behind: a document missing or
/// malformed (<see cref="DocumentId"/> names it), or a view that disagrees with the campaign's
/// rollups (a view not built, or an archive that is not complete). Never transient: reading again
/// gives the same answer until someone repairs the archive.
/// </summary>
public sealed class ArchiveReadException(string database, string? documentId, string problem)
    : ArchiverException(documentId is null
        ? $"CouchDB database {database}: {problem}"
        : $"CouchDB database {database}, document {documentId}: {problem}")
{
    public string Database { get; } = database;

    /// <summary>The document at fault, when one is.</summary>
    public string? DocumentId { get; } = documentId;
}
