namespace Archiver;

/// <summary>CouchDB refused one document of a batch (anything but a resolvable conflict).</summary>
public sealed class DocumentWriteException(string database, string table, long key, string documentId, string error, string? reason)
    : ArchiverException($"CouchDB database {database} refused document {documentId} ({table} id={key}): {error}{(string.IsNullOrEmpty(reason) ? "" : ": " + reason)}")
{
    public string Database { get; } = database;

    public string Table { get; } = table;

    public long Key { get; } = key;

    public string DocumentId { get; } = documentId;

    public string Error { get; } = error;

    public string? Reason { get; } = reason;
}
