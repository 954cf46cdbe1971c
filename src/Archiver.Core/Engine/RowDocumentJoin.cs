using System.Runtime.CompilerServices;
using Archiver.Documents;
using Archiver.Sets;
using Archiver.Source;

namespace Archiver.Engine;

/// <summary>
/// The one merge-join of every verification: a campaign's rows of one set, streamed from MySQL in key
/// order, beside the documents of the campaign's <c>_all_docs</c> row range, read in id order (the
/// zero-padded ids make id order key order). Each step yields a row with its document, a row without
/// one, or a document without a row; what that means is the caller's (a stray before the flag, a
/// purged row after a purge). A shard joins the rows and documents of its key range only.
/// </summary>
internal static class RowDocumentJoin
{
    public static async IAsyncEnumerable<(RowDocument? Row, StoredDocument? Document)> JoinAsync(
        IArchiveSource source, IDocumentStore store, ArchiveSet set, long campaignId, KeyRange range, bool includeDocs, int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (start, end) = range.DocumentRange(set.Table, campaignId);
        await using var rows = source.StreamRowsAsync(set, campaignId, range, store.MaxDocumentBytes, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var documents = store.ReadRangeAsync(set.Database, start, end, includeDocs, pageSize, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var haveRow = await rows.MoveNextAsync().ConfigureAwait(false);
        var haveDocument = await documents.MoveNextAsync().ConfigureAwait(false);
        while (haveRow || haveDocument)
        {
            var order = !haveRow ? 1 : !haveDocument ? -1 : string.CompareOrdinal(rows.Current.Id, documents.Current.Id);
            yield return (order <= 0 ? rows.Current : null, order >= 0 ? documents.Current : null);
            if (order <= 0)
            {
                haveRow = await rows.MoveNextAsync().ConfigureAwait(false);
            }

            if (order >= 0)
            {
                haveDocument = await documents.MoveNextAsync().ConfigureAwait(false);
            }
        }
    }
}
