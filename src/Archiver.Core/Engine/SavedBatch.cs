namespace Archiver.Engine;

/// <summary>
/// What saving one batch did, the revision each document holds now, in the batch's order, and the
/// bytes of the <c>_bulk_docs</c> bodies it took (conflict rounds included).
/// </summary>
internal sealed record SavedBatch(BatchTotals Totals, IReadOnlyList<string> Revisions, long Bytes);
