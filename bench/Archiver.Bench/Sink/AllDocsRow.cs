namespace Archiver.Bench.Sink;

/// <summary>
/// One <c>_all_docs</c> row: a live document (<c>{id, key, value: {rev}}</c>), a deleted one asked for
/// by key (<c>value: {rev, deleted: true}</c>) or a key that never existed (<c>{key, error: "not_found"}</c>).
/// </summary>
internal readonly record struct AllDocsRow(string Key, string? Rev, bool Deleted)
{
    public bool NotFound => Rev is null;
}
