using Archiver.Documents;

namespace Archiver;

/// <summary>A source row cannot be turned into a document exactly (a zero or invalid DATETIME, an integer JSON readers would round).</summary>
public sealed class InvalidRowException(string table, long key, string? column, string problem, Exception? innerException = null)
    : ArchiverException($"{table} id={key} (document {DocumentIds.ForRow(table, key)}): {(column is null ? "" : $"column {column} ")}{problem}", innerException)
{
    public string Table { get; } = table;

    public long Key { get; } = key;

    /// <summary>The column at fault, when known.</summary>
    public string? Column { get; } = column;

    public string DocumentId => DocumentIds.ForRow(Table, Key);
}
