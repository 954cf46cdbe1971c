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
    /// Rows per chunk: one <c>_all_docs</c> page of ids and revisions, and short enough that the first
    /// chunk's verification, the only one a purge does not overlap with deletes, is a small part of it.
    /// </summary>
    public const int Rows = 10_000;

    /// <summary>The chunk's keys as a range (end exclusive), for the rows' and the documents' reads.</summary>
    public KeyRange Range => new(FirstKey, LastKey + 1);

    public override string ToString() => $"chunk {Number} (keys {FirstKey}..{LastKey})";
}
