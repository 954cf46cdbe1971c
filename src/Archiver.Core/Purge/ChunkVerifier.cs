using System.Diagnostics;
using Archiver.Documents;
using Archiver.Engine;
using Archiver.Sets;
using Archiver.Source;
using Microsoft.Extensions.Logging;

namespace Archiver.Purge;

/// <summary>
/// Proves, before any of a chunk's rows is deleted, that the archive holds every one of them, reading
/// only the chunk's key range. MySQL's keys and CRC32s of the rows and CouchDB's ids and revisions of
/// the documents are read at the same time: the same fingerprint and the same revision digest as the
/// flag recorded (<see cref="ArchivedChunk"/>) prove the rows are the flagged ones and each document still
/// holds its row's content, since a revision names one immutable content. Anything else (a row or a
/// document changed since the flag, a chunk a killed purge left half deleted) compares every remaining
/// row with its document's body, which also names what differs; except when rows are gone and the
/// documents changed (<see cref="ChunkProof.Unproved"/>), which the caller settles. The batches returned are the ones
/// read before verification; each delete transaction locks its batch and deletes it only when its
/// rows still have that fingerprint.
/// </summary>
internal sealed class ChunkVerifier(IArchiveSource source, IPurgeTarget target, IDocumentStore store, int pageSize, ILogger logger)
{
    /// <param name="set">The set.</param>
    /// <param name="campaign">The campaign.</param>
    /// <param name="chunk">The chunk as the flag recorded it.</param>
    /// <param name="batchSize">Rows per delete transaction.</param>
    /// <param name="untouched">
    /// Whether no purge can have deleted rows of the chunk (it comes after the first chunk this run
    /// verified): with batches of <see cref="ArchivedChunk.Rows"/>, the chunk is then deleted in one
    /// transaction whose locking read must find the recorded fingerprint, so only the documents are read
    /// here; if the rows changed, that transaction deletes nothing and stops the purge, and the next run
    /// verifies the chunk first, reading its rows.
    /// </param>
    /// <param name="ahead">
    /// For chunks verified in key order, the reader of their ids and revisions in large pages; when
    /// null, the chunk's range is read on its own.
    /// </param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<VerifiedChunk> VerifyAsync(
        ArchiveSet set, CampaignInfo campaign, ArchivedChunk chunk, int batchSize, bool untouched, ChunkRevisionReader? ahead, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var revisions = ahead is null ? null : await ahead.DigestAsync(chunk).ConfigureAwait(false);
        if (untouched && batchSize == ArchivedChunk.Rows
            && string.Equals(revisions ?? await ReadRevisionsAsync(set, campaign.Id, chunk.Range, cancellationToken).ConfigureAwait(false), chunk.RevisionDigest, StringComparison.Ordinal))
        {
            return new VerifiedChunk(chunk, [new PurgeChunk(chunk.FirstKey, chunk.LastKey, chunk.Fingerprint)], ChunkProof.Revisions, Stopwatch.GetElapsedTime(started));
        }

        var rowsRead = target.ReadChunksAsync(set, campaign.Id, batchSize, chunk.Range, cancellationToken);
        var revisionsRead = revisions is null ? ReadRevisionsAsync(set, campaign.Id, chunk.Range, cancellationToken) : Task.FromResult(revisions);
        await Task.WhenAll(rowsRead, revisionsRead).ConfigureAwait(false);
        var batches = await rowsRead.ConfigureAwait(false);
        var rows = PurgeVerifier.Sum(batches);
        var documentsAsFlagged = string.Equals(await revisionsRead.ConfigureAwait(false), chunk.RevisionDigest, StringComparison.Ordinal);
        if (rows == chunk.Fingerprint && documentsAsFlagged)
        {
            return new VerifiedChunk(chunk, batches, ChunkProof.Revisions, Stopwatch.GetElapsedTime(started));
        }

        if (!documentsAsFlagged && rows.Count < chunk.Fingerprint.Count)
        {
            return new VerifiedChunk(chunk, batches, ChunkProof.Unproved, Stopwatch.GetElapsedTime(started));
        }

        if (batches.Count == 0)
        {
            // Deleted by an earlier purge, their documents untouched: nothing to prove, nothing to delete.
            return new VerifiedChunk(chunk, batches, ChunkProof.Purged, Stopwatch.GetElapsedTime(started));
        }

        Log.PurgeVerifyingChunkDocuments(logger, campaign.Id, set.Table, chunk.ToString(), rows != chunk.Fingerprint
            ? $"its rows are not the flagged ones: flagged {chunk.Fingerprint}, now {rows}"
            : "a document of it was written, added or deleted since the flag");
        await VerifyContentsAsync(set, campaign, chunk, batches, batchSize, cancellationToken).ConfigureAwait(false);
        return new VerifiedChunk(chunk, batches, ChunkProof.Contents, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>A reader of the set's ids and revisions from <paramref name="fromKey"/> on, for chunks verified in key order.</summary>
    public ChunkRevisionReader ReadAhead(ArchiveSet set, long campaignId, long fromKey, CancellationToken cancellationToken) =>
        new(store, set, campaignId, fromKey, cancellationToken);

    /// <summary>The digest of the ids and revisions of the range's row documents, as the flag computed it.</summary>
    private async Task<string> ReadRevisionsAsync(ArchiveSet set, long campaignId, KeyRange range, CancellationToken cancellationToken)
    {
        var (start, end) = range.DocumentRange(set.Table, campaignId);
        using var digest = new RevisionDigest();
        await foreach (var document in store.ReadRangeAsync(set.Database, start, end, includeDocs: false, RevisionPairing.PageSize, cancellationToken).ConfigureAwait(false))
        {
            digest.Add(document.Id, document.Rev!);
        }

        return digest.Value;
    }

    /// <summary>
    /// Every row left in the chunk must have a document with its content; documents without a row are
    /// rows a purge deleted already. The rows read must be the batches' rows, unchanged while read.
    /// </summary>
    private async Task VerifyContentsAsync(ArchiveSet set, CampaignInfo campaign, ArchivedChunk chunk, IReadOnlyList<PurgeChunk> batches, int batchSize, CancellationToken cancellationToken)
    {
        var streamed = new PurgeChunkBuilder(batchSize);
        var missing = new Problems();
        var differing = new Problems();
        await foreach (var (row, document) in RowDocumentJoin.JoinAsync(source, store, set, campaign.Id, chunk.Range, includeDocs: true, pageSize, cancellationToken).ConfigureAwait(false))
        {
            if (row is null)
            {
                continue;
            }

            streamed.Add(row.Key, 0);
            if (document is null)
            {
                missing.Add(row.Id);
            }
            else if (!DocumentContent.Hash(row).Equals(DocumentContent.Hash(document.Id, document.Body ?? default)))
            {
                differing.Add(row.Id, () => $"{row.Id}: {DocumentContent.FirstDifference(row, document.Body ?? default)}");
            }
        }

        string Fail(string what) =>
            $"campaign {campaign.Id}, set {set.Table}, database {set.Database}: {chunk}: {what}; nothing of this chunk deleted (chunks before it may be), run again once the archive holds its rows";
        if (PurgeVerifier.Unarchived(missing, differing, streamed.Rows) is { } unarchived)
        {
            throw new ArchiveVerificationException(campaign.Id, set.Table, Fail(unarchived));
        }

        var before = PurgeVerifier.Sum(batches);
        var after = PurgeVerifier.Sum(await target.ReadChunksAsync(set, campaign.Id, batchSize, chunk.Range, cancellationToken).ConfigureAwait(false));
        if (after != before || !PurgeVerifier.SameKeys(batches, streamed.Build()))
        {
            throw new ArchiveVerificationException(campaign.Id, set.Table,
                Fail($"the rows changed while they were verified (before: {before}; read: {streamed.Rows:N0} rows; after: {after})"));
        }
    }
}
