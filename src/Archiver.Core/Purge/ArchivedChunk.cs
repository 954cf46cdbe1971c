using Archiver.Source;

namespace Archiver.Purge;

/// <summary>
/// A row of <c>archiver_archived_chunks</c>: one chunk of a set of a campaign as its flag proved it,
/// the rows with keys in [<see cref="FirstKey"/>, <see cref="LastKey"/>] summed up by MySQL's
/// <see cref="Fingerprint"/>, and the digest of their documents' ids and revisions
/// (<see cref="Engine.RevisionDigest.Add(string, string)"/>). The flag proved every one of those
/// documents holds its row's content; a revision names one immutable content. So, later, the same
/// fingerprint and the same ids and revisions prove the chunk's rows are still archived, without
/// reading a row's columns or a document's body.
/// </summary>
public sealed record ArchivedChunk(int Number, long FirstKey, long LastKey, SetFingerprint Fingerprint, string RevisionDigest)
{
    /// <summary>
    /// Rows per chunk: the purge's default batch (<see cref="PurgeOptions.BatchSize"/>, pt-archiver's
    /// <c>--limit 1000</c>), so that a purge with that batch deletes each chunk in one transaction whose
    /// locking read proves the rows against the recorded fingerprint, and reads nothing of MySQL to verify.
    /// </summary>
    public const int Rows = 1_000;

    /// <summary>The chunk's keys as a range (end exclusive), for the rows' and the documents' reads.</summary>
    public KeyRange Range => new(FirstKey, LastKey + 1);

    public override string ToString() => $"chunk {Number} (keys {FirstKey}..{LastKey})";
}
