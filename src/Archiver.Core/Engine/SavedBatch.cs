namespace Archiver.Engine;

/// <summary>What saving one batch did, and the revision each document holds now, in the batch's order.</summary>
internal sealed record SavedBatch(BatchTotals Totals, IReadOnlyList<string> Revisions);
