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
    public static async IAsyncEnumerable<RowDocument> StreamRowsAsync(
        this IArchiveSource source, ArchiveSet archiveSet, long campaignId, long maxDocumentBytes, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(archiveSet);
        await foreach (var values in source.ReadRowsAsync(archiveSet, campaignId, cancellationToken).ConfigureAwait(false))
        {
            yield return RowDocument.Create(archiveSet, values, maxDocumentBytes);
        }
    }
}
