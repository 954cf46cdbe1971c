using Archiver.Documents;
using Archiver.Engine;
using Archiver.Sets;
using Archiver.Source;

namespace Archiver.Purge;

/// <summary>
/// The ids and revisions of a set's row documents from one key on, read as one stream of large
/// <c>_all_docs</c> pages and handed out chunk by chunk, in key order: one request per ten chunks
/// instead of one per chunk (on pouchdb-server a request costs about as much as 3,000 rows of it).
/// Documents between two chunks' ranges belong to no chunk and are passed over.
/// </summary>
internal sealed class ChunkRevisionReader : IAsyncDisposable
{
    private readonly string _table;
    private readonly long _campaignId;
    private readonly IAsyncEnumerator<StoredDocument> _documents;
    private bool _pending;
    private bool _ended;

    public ChunkRevisionReader(IDocumentStore store, ArchiveSet set, long campaignId, long fromKey, CancellationToken cancellationToken)
    {
        (_table, _campaignId) = (set.Table, campaignId);
        var (start, end) = new KeyRange(fromKey, null).DocumentRange(set.Table, campaignId);
        _documents = store.ReadRangeAsync(set.Database, start, end, includeDocs: false, RevisionPairing.PageSize, cancellationToken).GetAsyncEnumerator(cancellationToken);
    }

    /// <summary>The digest of the chunk's documents' ids and revisions, as the flag computed it; chunks must come in key order.</summary>
    public async Task<string> DigestAsync(ArchivedChunk chunk)
    {
        var (start, end) = chunk.Range.DocumentRange(_table, _campaignId);
        using var digest = new RevisionDigest();
        while (!_ended)
        {
            if (!_pending)
            {
                _pending = await _documents.MoveNextAsync().ConfigureAwait(false);
                _ended = !_pending;
                continue;
            }

            var document = _documents.Current;
            if (string.CompareOrdinal(document.Id, end) >= 0)
            {
                break;
            }

            if (string.CompareOrdinal(document.Id, start) >= 0)
            {
                digest.Add(document.Id, document.Rev!);
            }

            _pending = false;
        }

        return digest.Value;
    }

    public ValueTask DisposeAsync() => _documents.DisposeAsync();
}
