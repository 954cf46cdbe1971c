using Archiver.Documents;
using Archiver.Options;
using Archiver.Sets;
using Archiver.Source;
using Microsoft.Extensions.Logging;

namespace Archiver.Engine;

/// <summary>
/// Copies and verifies one shard of a campaign (one key range of one set) under the shard's own lock,
/// then records it verified with the digest of what verification proved. Every step can be repeated
/// and a kill at any point leaves either a pending shard (the next run copies it again; documents it
/// had saved are found identical and left alone) or a verified one. Recording a shard verified proves
/// nothing to the flag: the campaign's final step recomputes every shard's digest from the rows and
/// the archive as they are then (<see cref="ShardedCampaign"/>).
/// </summary>
internal sealed class ShardRunner(
    IArchiveSource source, IShardJournal shards, IDocumentStore store, ArchiveOptions options, ILogger logger, IArchiveCheckpoints? checkpoints)
{
    public async Task<ShardOutcome> RunAsync(ArchiveSet set, CampaignInfo campaign, ShardRecord shard, CampaignTally tally, Func<bool> stopRequested, CancellationToken cancellationToken)
    {
        var shardLock = await source.TryLockShardAsync(campaign.Id, shard.Table, shard.Number, cancellationToken).ConfigureAwait(false);
        if (shardLock is null)
        {
            return ShardOutcome.HeldElsewhere;
        }

        await using (shardLock.ConfigureAwait(false))
        {
            // Read again under the lock: another worker may have finished it since it was listed.
            var current = (await shards.ReadAsync(campaign.Id, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(s => s.Table == shard.Table && s.Number == shard.Number)
                ?? throw new ArchiverException($"campaign {campaign.Id}: shard {shard.Name} is not in its plan (archiver_campaign_shards)");
            if (current.Verified)
            {
                return ShardOutcome.AlreadyVerified;
            }

            var points = checkpoints is null ? null : new PrefixedCheckpoints($"shard:{shard.Name}:", checkpoints);
            var views = new ViewRefresher(store, options.ViewRefreshEvery, logger, null);
            var writer = new SetWriter(source, store, options.BatchSize, options.MaxConcurrentBatches, views, stopRequested, points);
            string digest;
            long rows;
            using (var written = await writer.WriteRangeAsync(set, campaign, shard.Range, shardLock, tally, cancellationToken).ConfigureAwait(false))
            {
                points?.Reached("after-rows");
                (rows, digest) = await VerifyAsync(set, campaign, shard, written, tally, cancellationToken).ConfigureAwait(false);
            }

            points?.Reached("after-verify");
            if (!await shardLock.IsHeldAsync(cancellationToken).ConfigureAwait(false))
            {
                throw CampaignLockLostException.BeforeFlag(shardLock.Name);
            }

            await shards.RecordVerifiedAsync(current, rows, digest, cancellationToken).ConfigureAwait(false);
            points?.Reached("after-record");
            return ShardOutcome.Verified;
        }
    }

    /// <summary>
    /// The shard's rows beside the ids and revisions of its range; when they are exactly what the writer
    /// saved, that proves it. Otherwise (rows changed while they were copied, documents from elsewhere
    /// in the range) every document is read and compared; strays are removed, and a missing or
    /// different document fails the shard, whose next run copies it again.
    /// </summary>
    private async Task<(long Rows, string Digest)> VerifyAsync(ArchiveSet set, CampaignInfo campaign, ShardRecord shard, RevisionDigest written, CampaignTally tally, CancellationToken cancellationToken)
    {
        using (var paired = new RevisionDigest())
        using (var checksum = new ArchiveChecksum())
        {
            var unpaired = await RevisionPairing.PairAsync(source, store, set, campaign.Id, shard.Range, paired, checksum, _ => tally.RowsVerified++, null, cancellationToken).ConfigureAwait(false);
            if (unpaired is null && paired.Matches(written))
            {
                return (paired.Count, paired.Value);
            }

            Log.VerifyingDocuments(logger, campaign.Id, $"{shard.Name} ({shard.Range})", unpaired ?? "a row or a document changed after it was saved");
        }

        using var digest = new RevisionDigest();
        var missing = new Problems();
        var differing = new Problems();
        var strays = new List<StoredDocument>();
        await foreach (var (row, document) in RowDocumentJoin.JoinAsync(source, store, set, campaign.Id, shard.Range, includeDocs: true, options.BatchSize, cancellationToken).ConfigureAwait(false))
        {
            if (row is null)
            {
                strays.Add(document!);
            }
            else if (document is null)
            {
                missing.Add(row.Id);
            }
            else
            {
                var expected = DocumentContent.Hash(row);
                if (!expected.Equals(DocumentContent.Hash(document.Id, document.Body ?? default)))
                {
                    differing.Add(row.Id, () => $"{row.Id}: {DocumentContent.FirstDifference(row, document.Body ?? default)}");
                }

                digest.Add(row.Id, expected, document.Rev!);
            }
        }

        if (strays.Count > 0)
        {
            var removed = await new BatchWriter(store, set.Database).RemoveAsync(strays, id => $"{set.Table} row no longer in campaign {campaign.Id}", cancellationToken).ConfigureAwait(false);
            tally.Documents += new BatchTotals(0, 0, 0, 0, removed);
        }

        if (missing.Count > 0 || differing.Count > 0)
        {
            throw new ArchiveVerificationException(campaign.Id, set.Table,
                $"campaign {campaign.Id}, shard {shard.Name} ({shard.Range}), database {set.Database}: {missing.Count:N0} rows have no document ({missing}), {differing.Count:N0} documents differ from their rows ({differing}) (rows changed while they were copied); run again to copy them");
        }

        return (digest.Count, digest.Value);
    }
}
