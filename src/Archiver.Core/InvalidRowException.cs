namespace Archiver;

/// <summary>
/// A source row cannot be turned into a document exactly (a zero or invalid date, text not valid in
/// its character set, an integer JSON readers would round, a document above the size limit). The
/// campaign stops; nothing is altered to make it fit.
/// </summary>
public sealed class InvalidRowException(string table, long key, string? column, string problem, string? documentId = null, Exception? innerException = null)
    : ArchiverException($"{table} id={key}{(documentId is null ? "" : $" (document {documentId})")}: {(column is null ? "" : $"column {column} ")}{problem}", innerException)
{
    public string Table { get; } = table;

    public long Key { get; } = key;

    /// <summary>The column at fault, when known.</summary>
    public string? Column { get; } = column;

    /// <summary>The document the row would have become, when its campaign is known.</summary>
    public string? DocumentId { get; } = documentId;
}
