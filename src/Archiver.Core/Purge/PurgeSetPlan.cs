using Archiver.Sets;

namespace Archiver.Purge;

/// <summary>
/// A set of one campaign verified for purging: its remaining rows in delete chunks, and the archive's
/// document count and checksum as verified (what the journal records, or matched), and whether ids
/// and revisions proved it (<see cref="ByRevisions"/>) or every document's body had to be read.
/// </summary>
/// <remarks>
/// A set whose flag recorded chunks (<see cref="ArchivedChunk"/>) is verified one chunk at a time:
/// <see cref="Chunks"/> then holds the first chunk with rows left, verified before anything of the
/// campaign is deleted, and <see cref="Pending"/> the chunks after it, each verified while the one
/// before it is deleted; <see cref="Rows"/> counts the set's rows. <see cref="Pending"/> is null for a
/// set verified whole.
/// </remarks>
internal sealed record PurgeSetPlan(
    ArchiveSet Set, IReadOnlyList<PurgeChunk> Chunks, long Rows, long Documents, string Checksum, PurgeJournalEntry? Journal, bool ByRevisions = false,
    IReadOnlyList<ArchivedChunk>? Pending = null);
