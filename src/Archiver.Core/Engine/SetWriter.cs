using System.Globalization;
using Archiver.Documents;
using Archiver.Rollups;
using Archiver.Sets;
using Archiver.Source;

namespace Archiver.Engine;

/// <summary>
/// Copies a campaign's rows of one set: streams them in key order, saves them in batches, adds them
/// up per minute on the way, then saves the rollups and removes rollups of minutes that no longer
/// have rows (rows changed after an interrupted run). Every step can be repeated: re-running it over
/// a complete archive writes nothing.
/// </summary>
/// <remarks>
/// Up to <c>Archive:MaxConcurrentBatches</c> batches are with CouchDB at once while the next one is
/// read from MySQL; their answers are taken in batch order, so counts, checkpoints and the
/// <see cref="RevisionDigest"/> advance exactly as they would one batch at a time.
/// </remarks>
internal sealed class SetWriter(
    IArchiveSource source, IDocumentStore store, int batchSize, int maxConcurrentBatches, ViewRefresher views, Func<bool> stopRequested, IArchiveCheckpoints? checkpoints)
{
    public async Task<WrittenSet> WriteAsync(ArchiveSet set, CampaignInfo campaign, ICampaignLock campaignLock, CampaignTally tally, IArchiveProgress? progress, CancellationToken cancellationToken)
    {
        var writer = new BatchWriter(store, set.Database);
        var rollups = new RollupBuilder(set, campaign.Id);
        var written = new WrittenSet(set);
        try
        {
            await WriteRowsAsync(set, campaign, KeyRange.All, campaignLock, tally, progress, writer, rollups, written.Rows, cancellationToken).ConfigureAwait(false);
            checkpoints?.Reached("after-rows:" + set.Table);

            await WriteRollupsAsync(set, campaign, rollups.Build(), tally, written.Rollups, cancellationToken).ConfigureAwait(false);
            checkpoints?.Reached("after-rollups:" + set.Table);
            return written;
        }
        catch
        {
            written.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Copies the rows of one key range (a shard) and no rollups: those are built once for the whole
    /// campaign by its final step, so minutes that straddle shard boundaries add up exactly. Returns
    /// the digest of what was saved, for the shard's verification.
    /// </summary>
    public async Task<RevisionDigest> WriteRangeAsync(
        ArchiveSet set, CampaignInfo campaign, KeyRange range, ICampaignLock shardLock, CampaignTally tally, CancellationToken cancellationToken)
    {
        var written = new RevisionDigest();
        try
        {
            await WriteRowsAsync(set, campaign, range, shardLock, tally, null, new BatchWriter(store, set.Database), null, written, cancellationToken).ConfigureAwait(false);
            return written;
        }
        catch
        {
            written.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Saves a campaign's rollups of one set (identical ones are left alone) and removes its rollups of
    /// minutes not among them. For a partly purged campaign they are rebuilt from its documents.
    /// </summary>
    public async Task WriteRollupsAsync(
        ArchiveSet set, CampaignInfo campaign, IReadOnlyList<RollupDocument> minutes, CampaignTally tally, RevisionDigest digest, CancellationToken cancellationToken)
    {
        var writer = new BatchWriter(store, set.RollupDatabase);
        foreach (var chunk in minutes.Chunk(batchSize))
        {
            var saved = await writer.WriteAsync(chunk, null, cancellationToken).ConfigureAwait(false);
            tally.Rollups += saved.Totals;
            tally.BytesWritten += saved.Bytes;
            for (var i = 0; i < chunk.Length; i++)
            {
                digest.Add(chunk[i].Id, DocumentContent.Hash(chunk[i]), saved.Revisions[i]);
            }
        }

        await RemoveStaleRollupsAsync(set, campaign, minutes, writer, tally, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteRowsAsync(
        ArchiveSet set, CampaignInfo campaign, KeyRange range, ICampaignLock campaignLock, CampaignTally tally, IArchiveProgress? progress,
        BatchWriter writer, RollupBuilder? rollups, RevisionDigest digest, CancellationToken cancellationToken)
    {
        var inFlight = new Queue<(int Number, List<RowDocument> Batch, Task<SavedBatch> Saving)>();

        // Takes the oldest batch's answer: batch order, whatever order the answers arrive in.
        async Task<SavedBatch> AccountOldestAsync()
        {
            var (number, batch, saving) = inFlight.Dequeue();
            var saved = await saving.ConfigureAwait(false);
            tally.Documents += saved.Totals;
            tally.BytesWritten += saved.Bytes;
            tally.Batches = number;
            tally.RowsSaved += batch.Count;
            for (var i = 0; i < batch.Count; i++)
            {
                digest.Add(batch[i].Id, DocumentContent.Hash(batch[i]), saved.Revisions[i]);
            }

            return saved;
        }

        async Task CompleteOldestAsync()
        {
            var saved = await AccountOldestAsync().ConfigureAwait(false);
            progress?.RowsArchived(campaign, tally.RowsSaved, tally.ExpectedRows, tally.Documents);
            checkpoints?.Reached("after-batch:" + tally.Batches.ToString(CultureInfo.InvariantCulture));
            if (campaignLock.IsLost)
            {
                // Another archiver may hold the campaign now: stop early rather than copy for nothing.
                throw CampaignLockLostException.BeforeFlag(campaignLock.Name);
            }

            await views.WrittenAsync(set.Database, saved.Totals.Written, cancellationToken).ConfigureAwait(false);
        }

        async Task SendAsync(List<RowDocument> batch)
        {
            while (inFlight.Count >= maxConcurrentBatches)
            {
                await CompleteOldestAsync().ConfigureAwait(false);
            }

            if (campaignLock.IsLost)
            {
                throw CampaignLockLostException.BeforeFlag(campaignLock.Name);
            }

            var number = tally.Batches + inFlight.Count + 1;
            var point = "in-batch:" + number.ToString(CultureInfo.InvariantCulture);
            Action? answered = checkpoints is null ? null : () => checkpoints.Reached(point);
            inFlight.Enqueue((number, batch, writer.WriteAsync(batch, answered, cancellationToken)));
        }

        try
        {
            var batch = new List<RowDocument>(batchSize);
            var stopped = false;
            await foreach (var row in source.StreamRowsAsync(set, campaign.Id, range, store.MaxDocumentBytes, cancellationToken).ConfigureAwait(false))
            {
                // Checked only when a new batch would begin: a stop leaves whole batches, and a set
                // whose last batch has gone out is finished, not stopped.
                if (batch.Count == 0 && stopRequested())
                {
                    stopped = true;
                    break;
                }

                batch.Add(row);
                rollups?.Add(row);
                tally.RowsRead++;
                if (batch.Count == batchSize)
                {
                    await SendAsync(batch).ConfigureAwait(false);
                    batch = new List<RowDocument>(batchSize);
                }
            }

            if (batch.Count > 0)
            {
                await SendAsync(batch).ConfigureAwait(false);
            }

            while (inFlight.Count > 0)
            {
                await CompleteOldestAsync().ConfigureAwait(false);
            }

            if (stopped)
            {
                throw RunStoppedException.Archive(tally.RowsRead, tally.ExpectedRows);
            }
        }
        catch (Exception) when (inFlight.Count > 0)
        {
            // A failed row, batch or stop must not leave batches writing behind the campaign's back;
            // those that did reach the archive are counted. The first failure is the one reported.
            while (inFlight.Count > 0)
            {
                try
                {
                    await AccountOldestAsync().ConfigureAwait(false);
                }
#pragma warning disable CA1031 // See above: only the first failure matters, the others only need to have ended.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }

            throw;
        }
    }

    private async Task RemoveStaleRollupsAsync(
        ArchiveSet set, CampaignInfo campaign, IReadOnlyList<RollupDocument> minutes, BatchWriter writer, CampaignTally tally, CancellationToken cancellationToken)
    {
        var current = minutes.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var (start, end) = DocumentIds.RollupRange(set.Table, campaign.Id);
        var stale = new List<StoredDocument>();
        await foreach (var stored in store.ReadRangeAsync(set.RollupDatabase, start, end, includeDocs: false, batchSize, cancellationToken).ConfigureAwait(false))
        {
            if (!current.Contains(stored.Id))
            {
                stale.Add(stored);
            }
        }

        if (stale.Count > 0)
        {
            var removed = await writer.RemoveAsync(stale, id => $"rollup {id} of a minute without rows", cancellationToken).ConfigureAwait(false);
            tally.Rollups += new BatchTotals(0, 0, 0, 0, removed);
        }
    }
}
