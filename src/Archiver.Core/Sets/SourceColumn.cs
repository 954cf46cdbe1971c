namespace Archiver.Sets;

/// <summary>A column of a set's table as MySQL describes it.</summary>
/// <param name="Name">Column name, also the document field name.</param>
/// <param name="Kind">How its values are written.</param>
/// <param name="Nullable">Whether it may hold NULL.</param>
/// <param name="ColumnType">MySQL's full column type, e.g. <c>tinyint(1)</c>, for messages.</param>
/// <param name="Charset">The character set of a text column, else null.</param>
public sealed record SourceColumn(string Name, ColumnKind Kind, bool Nullable, string ColumnType, string? Charset = null);
