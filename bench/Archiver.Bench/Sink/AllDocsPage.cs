namespace Archiver.Bench.Sink;

/// <summary>An <c>_all_docs</c> answer: the live documents in the database, the offset of the first row, the rows.</summary>
internal sealed record AllDocsPage(long TotalRows, long Offset, IReadOnlyList<AllDocsRow> Rows);
