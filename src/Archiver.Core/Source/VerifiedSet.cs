using Archiver.Sets;

namespace Archiver.Source;

/// <summary>A set whose archive was verified for a campaign while its rows had <see cref="Fingerprint"/>; <see cref="Checksum"/> sums up its keys and contents.</summary>
/// <param name="Set">The set.</param>
/// <param name="Fingerprint">MySQL's fingerprint of the campaign's rows, taken before they were read.</param>
/// <param name="Checksum">SHA-256 over the rows' content hashes in key order.</param>
/// <param name="RevisionDigest">
/// When the set was verified by revisions: the SHA-256 over every (document id, content hash,
/// revision) in id order. The flag transaction records it, so that a purge can later prove the archive
/// unchanged from ids and revisions alone; null when verification had to read the documents' bodies.
/// </param>
public sealed record VerifiedSet(ArchiveSet Set, SetFingerprint Fingerprint, string Checksum, string? RevisionDigest = null)
{
    /// <summary>
    /// The ids and revisions of the set's row and rollup ranges as verification read them (a digest,
    /// see <c>RevisionDigest.ReadArchiveAsync</c>): the flag transaction reads them again and flags only if nothing in
    /// the archive changed since.
    /// </summary>
    public string ArchiveRevisions { get; init; } = "";

    /// <summary>
    /// The ids of <see cref="ArchiveRevisions"/> that the ranges did not list and a read by id found (a
    /// cluster's copy behind the write quorum, see <c>DocumentRangeJoin</c>), in id order within each
    /// range: the flag transaction's read looks them up by id too.
    /// </summary>
    public IReadOnlyList<string> ArchiveReadById { get; init; } = [];

    /// <summary>
    /// Rows of the set that a purge already deleted (the purge journal's count). When above 0 the archive
    /// is the only copy of them: the flag transaction keeps the record of the first flag and the journal
    /// as they are, since a resumed purge verifies against them.
    /// </summary>
    public long PurgedRows { get; init; }
}
