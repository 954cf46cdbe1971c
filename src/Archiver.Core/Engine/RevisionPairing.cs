using Archiver.Documents;
using Archiver.Sets;
using Archiver.Source;

namespace Archiver.Engine;

/// <summary>
/// Reads a campaign's rows of one set (key order) beside the ids and revisions of its
/// <c>_all_docs</c> range (id order, which is key order), reading no document body, and adds every
/// pair to a <see cref="RevisionDigest"/> and every row's content hash to an <see cref="ArchiveChecksum"/>.
/// The archive's verifier and the purge's both prove the archive this way before anything else.
/// </summary>
internal static class RevisionPairing
{
    /// <summary>Ids and revisions only: a page of them is small, so fewer, larger requests.</summary>
    public const int PageSize = 10_000;

    /// <summary>Null when every row was paired with a document of its id and nothing else is in the range; else why not.</summary>
    public static async Task<string?> PairAsync(
        IArchiveSource source, IDocumentStore store, ArchiveSet set, long campaignId, KeyRange range, RevisionDigest digest, ArchiveChecksum checksum, Action<RowDocument> eachRow,
        RevisionDigest? revisions, CancellationToken cancellationToken)
    {
        await foreach (var pair in RowDocumentJoin.JoinAsync(source, store, set, campaignId, range, includeDocs: false, PageSize, cancellationToken).ConfigureAwait(false))
        {
            var (row, document) = pair;
            if (row is null || document is null)
            {
                return row is not null ? $"row {row.Id} is not paired with its document" : $"document {document!.Id} has no row";
            }

            var hash = DocumentContent.Hash(row);
            checksum.Add(hash);
            digest.Add(row.Id, hash, document.Rev!);
            revisions?.Add(pair);
            eachRow(row);
        }

        return null;
    }
}
