namespace Archiver.Engine;

/// <summary>Per-document results of one or more batches.</summary>
/// <param name="Created">New documents.</param>
/// <param name="Updated">Documents that differed from their row and were overwritten (MySQL is the truth until the flag).</param>
/// <param name="Unchanged">Documents already identical to their row: nothing written.</param>
/// <param name="Conflicts">Conflict answers from <c>_bulk_docs</c>, each resolved by reading the stored document.</param>
public readonly record struct BatchTotals(long Created, long Updated, long Unchanged, long Conflicts)
{
    /// <summary>Documents that got a new revision.</summary>
    public long Written => Created + Updated;

    public static BatchTotals operator +(BatchTotals left, BatchTotals right) =>
        new(left.Created + right.Created, left.Updated + right.Updated, left.Unchanged + right.Unchanged, left.Conflicts + right.Conflicts);

    public BatchTotals Add(BatchTotals other) => this + other;
}
