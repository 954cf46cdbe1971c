namespace Archiver;

/// <summary>A source row cannot be turned into a document (for example a zero DATETIME).</summary>
public sealed class InvalidRowException(string table, long key, string column, string problem)
    : ArchiverException($"{table} id={key}: column {column} {problem}")
{
    public string Table { get; } = table;

    public long Key { get; } = key;

    public string Column { get; } = column;
}
