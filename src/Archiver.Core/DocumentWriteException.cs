namespace Archiver;

/// <summary>CouchDB refused one document of a batch (anything but a resolvable conflict).</summary>
public sealed class DocumentWriteException(string database, string origin, string documentId, string error, string? reason)
    : ArchiverException($"CouchDB database {database} refused document {documentId} ({origin}): {error}{(string.IsNullOrEmpty(reason) ? "" : ": " + reason)}")
{
    public string Database { get; } = database;

    /// <summary>What the document was made from: the set and primary key of a row, or the rollup's set, campaign and minute.</summary>
    public string Origin { get; } = origin;

    public string DocumentId { get; } = documentId;

    public string Error { get; } = error;

    public string? Reason { get; } = reason;
}
