namespace Archiver.Purge;

/// <summary>
/// A row of <c>archiver_purge_sets</c>: the purge of one set of one campaign, recorded when its first
/// batch was about to be deleted. <see cref="Documents"/> and <see cref="Checksum"/> describe the
/// archive as it was verified then; a resumed purge requires the archive to still be exactly that.
/// </summary>
public sealed record PurgeJournalEntry(string Table, long Documents, string Checksum, long RowsDeleted, DateTime StartedAt, DateTime? FinishedAt);
