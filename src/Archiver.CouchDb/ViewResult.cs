namespace Archiver.CouchDb;

/// <summary>The rows of a view read.</summary>
public sealed record ViewResult(IReadOnlyList<ViewRow> Rows);
