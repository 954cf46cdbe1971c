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
internal sealed class SetWriter(IArchiveSource source, IDocumentStore store, int batchSize, IArchiveCheckpoints? checkpoints)
{
    public async Task WriteAsync(ArchiveSet set, CampaignInfo campaign, ICampaignLock campaignLock, CampaignTally tally, IArchiveProgress? progress, CancellationToken cancellationToken)
    {
        var writer = new BatchWriter(store, set.Database);
        var rollups = new RollupBuilder(set, campaign.Id);
        var batch = new List<IArchiveDocument>(batchSize);

        async Task FlushAsync()
        {
            var number = tally.Batches + 1;
            var point = number.ToString(CultureInfo.InvariantCulture);
            tally.Documents += await writer.WriteAsync(batch, checkpoints is null ? null : () => checkpoints.Reached("in-batch:" + point), cancellationToken).ConfigureAwait(false);
            tally.Batches = number;
            batch.Clear();
            progress?.RowsArchived(campaign, tally.RowsRead, tally.ExpectedRows, tally.Documents);
            checkpoints?.Reached("after-batch:" + point);
            if (campaignLock.IsLost)
            {
                // Another archiver may hold the campaign now: stop early rather than copy for nothing.
                throw new ArchiverException(ArchiveEngine.LockLostMessage(campaignLock));
            }
        }

        await foreach (var row in source.StreamRowsAsync(set, campaign.Id, store.MaxDocumentBytes, cancellationToken).ConfigureAwait(false))
        {
            batch.Add(row);
            rollups.Add(row);
            tally.RowsRead++;
            if (batch.Count == batchSize)
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }

        if (batch.Count > 0)
        {
            await FlushAsync().ConfigureAwait(false);
        }

        checkpoints?.Reached("after-rows:" + set.Table);

        var minutes = rollups.Build();
        foreach (var chunk in minutes.Chunk(batchSize))
        {
            tally.Rollups += await writer.WriteAsync(chunk, null, cancellationToken).ConfigureAwait(false);
        }

        var current = minutes.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var (start, end) = DocumentIds.RollupRange(set.Table, campaign.Id);
        var stale = new List<StoredDocument>();
        await foreach (var stored in store.ReadRangeAsync(set.Database, start, end, includeDocs: false, batchSize, cancellationToken).ConfigureAwait(false))
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

        checkpoints?.Reached("after-rollups:" + set.Table);
    }
}
