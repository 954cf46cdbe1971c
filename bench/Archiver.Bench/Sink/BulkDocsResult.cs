namespace Archiver.Bench.Sink;

/// <summary>One entry of a <c>_bulk_docs</c> answer: <c>{id, rev}</c> or <c>{id, error, reason}</c>.</summary>
internal readonly record struct BulkDocsResult(string Id, string? Rev, string? Error, string? Reason)
{
    public static BulkDocsResult Conflict(string id) => new(id, null, "conflict", "Document update conflict.");
}
