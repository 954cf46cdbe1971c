namespace Archiver.Engine;

/// <summary>Per-document results of one or more batches.</summary>
/// <param name="Created">New documents.</param>
/// <param name="Updated">Documents that differed from their row and were overwritten (MySQL is the truth until the flag).</param>
/// <param name="Unchanged">Documents already identical to their row: nothing written.</param>
/// <param name="Conflicts">Conflict answers from <c>_bulk_docs</c> whose stored document differed and was updated; one that was already identical (written by an earlier, interrupted run) counts as unchanged.</param>
/// <param name="Removed">Documents of the campaign whose row no longer belongs to it (deleted after an interrupted run), removed before the flag.</param>
public readonly record struct BatchTotals(long Created, long Updated, long Unchanged, long Conflicts, long Removed = 0)
{
    /// <summary>Documents that got a new revision.</summary>
    public long Written => Created + Updated;

    public static BatchTotals operator +(BatchTotals left, BatchTotals right) =>
        new(left.Created + right.Created, left.Updated + right.Updated, left.Unchanged + right.Unchanged, left.Conflicts + right.Conflicts, left.Removed + right.Removed);
}
