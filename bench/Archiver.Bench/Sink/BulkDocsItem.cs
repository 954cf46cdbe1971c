namespace Archiver.Bench.Sink;

/// <summary>The only parts of a posted document the discard sink keeps: its id, the revision it claims to update, and whether it is a deletion.</summary>
internal readonly record struct BulkDocsItem(string? Id, string? Rev, bool Deleted);
