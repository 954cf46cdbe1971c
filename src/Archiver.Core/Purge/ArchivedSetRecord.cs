namespace Archiver.Purge;

/// <summary>
/// A row of <c>archiver_archived_sets</c>: what the archive proved of one set of a campaign when it
/// flagged it, in the flag's own transaction. <see cref="RevisionDigest"/> (see
/// <see cref="Engine.RevisionDigest"/>) lets a first purge verify by ids and revisions alone; it is null
/// when the archive had to verify by reading the documents' bodies.
/// </summary>
public sealed record ArchivedSetRecord(string Table, long Rows, string Checksum, string? RevisionDigest);
