using Archiver.Documents;
using Archiver.Sets;
using Archiver.Source;

namespace Archiver.Engine;

/// <summary>
/// The join of every verification of rows: a campaign's rows of one set, streamed from MySQL in key
/// order, beside the documents of the campaign's <c>_all_docs</c> row range, read in id order (the
/// zero-padded ids make id order key order), a row the range did not list looked up by id (see
/// <see cref="DocumentRangeJoin"/>). Each step yields a row with its document, a row without one, or
/// a document without a row; what that means is the caller's (a stray before the flag, a purged row
/// after a purge). A shard joins the rows and documents of its key range only.
/// </summary>
internal static class RowDocumentJoin
{
    public static IAsyncEnumerable<DocumentPair<RowDocument>> JoinAsync(
        IArchiveSource source, IDocumentStore store, ArchiveSet set, long campaignId, KeyRange range, bool includeDocs, int pageSize, CancellationToken cancellationToken)
    {
        var (start, end) = range.DocumentRange(set.Table, campaignId);
        var rows = source.StreamRowsAsync(set, campaignId, range, store.MaxDocumentBytes, cancellationToken);
        return DocumentRangeJoin.JoinAsync(rows, row => row.Id, store, set.Database, start, end, includeDocs, pageSize, cancellationToken);
    }
}
