using Archiver.Sets;

namespace Archiver.Purge;

/// <summary>
/// A set of one campaign verified for purging: its remaining rows in delete chunks, and the archive's
/// document count and checksum as verified (what the journal records, or matched), and whether ids
/// and revisions proved it (<see cref="ByRevisions"/>) or every document's body had to be read.
/// </summary>
internal sealed record PurgeSetPlan(ArchiveSet Set, IReadOnlyList<PurgeChunk> Chunks, long Rows, long Documents, string Checksum, PurgeJournalEntry? Journal, bool ByRevisions = false);
