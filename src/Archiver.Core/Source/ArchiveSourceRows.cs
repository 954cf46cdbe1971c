using System.Runtime.CompilerServices;
using Archiver.Documents;
using Archiver.Sets;

namespace Archiver.Source;

/// <summary>Where a source's rows become documents: the adapter yields values, Core checks, normalises and sizes them.</summary>
public static class ArchiveSourceRows
{
    /// <summary>
    /// The campaign's rows of the set in primary-key order as documents (<see cref="RowDocument.Create"/>):
    /// a value without a faithful JSON form, or a document above <paramref name="maxDocumentBytes"/>,
    /// stops the stream with the table, key and column named.
    /// </summary>
    public static IAsyncEnumerable<RowDocument> StreamRowsAsync(
        this IArchiveSource source, ArchiveSet archiveSet, long campaignId, long maxDocumentBytes, CancellationToken cancellationToken = default) =>
        source.StreamRowsAsync(archiveSet, campaignId, KeyRange.All, maxDocumentBytes, cancellationToken);

    /// <summary>As <see cref="StreamRowsAsync(IArchiveSource, ArchiveSet, long, long, CancellationToken)"/>, the rows of one key range only.</summary>
    public static async IAsyncEnumerable<RowDocument> StreamRowsAsync(
        this IArchiveSource source, ArchiveSet archiveSet, long campaignId, KeyRange range, long maxDocumentBytes, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(archiveSet);
        await foreach (var values in source.ReadRowsAsync(archiveSet, campaignId, range, cancellationToken).ConfigureAwait(false))
        {
            yield return RowDocument.Create(archiveSet, values, maxDocumentBytes);
        }
    }
}
