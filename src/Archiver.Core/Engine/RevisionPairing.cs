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
        IArchiveSource source, IDocumentStore store, ArchiveSet set, long campaignId, RevisionDigest digest, ArchiveChecksum checksum, Action<RowDocument> eachRow,
        RangeRevisions? revisions, CancellationToken cancellationToken)
    {
        var (start, end) = DocumentIds.RowRange(set.Table, campaignId);
        await using var rows = source.StreamRowsAsync(set, campaignId, store.MaxDocumentBytes, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var documents = store.ReadRangeAsync(set.Database, start, end, includeDocs: false, PageSize, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            var haveRow = await rows.MoveNextAsync().ConfigureAwait(false);
            var haveDocument = await documents.MoveNextAsync().ConfigureAwait(false);
            if (!haveRow && !haveDocument)
            {
                return null;
            }

            if (!haveRow || !haveDocument || !string.Equals(rows.Current.Id, documents.Current.Id, StringComparison.Ordinal))
            {
                return haveRow ? $"row {rows.Current.Id} is not paired with its document" : $"document {documents.Current.Id} has no row";
            }

            var hash = DocumentContent.Hash(rows.Current);
            checksum.Add(hash);
            digest.Add(rows.Current.Id, hash, documents.Current.Rev!);
            revisions?.Add(documents.Current.Id, documents.Current.Rev!);
            eachRow(rows.Current);
        }
    }
}
