namespace Archiver.Bench.Phases;

/// <summary>The raw <c>_bulk_docs</c> ceiling: documents posted in pre-serialised bodies, how long the posting took, and any per-document errors.</summary>
internal sealed record CeilingResult(long Documents, int Bodies, long Bytes, int Concurrency, TimeSpan Elapsed, long Errors)
{
    public double DocumentsPerSecond => Documents / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
