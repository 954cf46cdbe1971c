using System.Globalization;
using Archiver.Documents;
using Archiver.Options;
using Archiver.Rollups;
using Archiver.Sets;
using Archiver.Source;
using Microsoft.Extensions.Logging;

namespace Archiver.Engine;

/// <summary>
/// A campaign split into shards (<c>Archive:ShardRows</c>): plans them once (recorded in MySQL),
/// copies and verifies the pending ones here, <c>--parallel</c> at a time (a worker leaves them to
/// <c>archive-shard</c> jobs instead), and, once every shard is verified, verifies the whole campaign
/// as the flag needs it. That final step reads each set's rows beside the ids and revisions of its
/// <c>_all_docs</c> range once more, recomputes every shard's digest and compares it with the one its
/// verification recorded (a shard that no longer matches is reset, and the campaign is not flagged),
/// builds the rollups from those rows in one pass (so minutes that straddle shard boundaries add up
/// exactly), saves and verifies them, and returns the same <see cref="VerifiedSet"/>s as an unsharded
/// campaign, which the one flag transaction checks again.
/// </summary>
internal sealed class ShardedCampaign(
    IArchiveSource source, IShardJournal shards, IDocumentStore store, ArchiveOptions options, ILogger logger, IArchiveProgress? progress, IArchiveCheckpoints? checkpoints)
{
    /// <summary>The campaign's shards, planning the sets that have no plan yet.</summary>
    public async Task<IReadOnlyList<ShardRecord>> PlanAsync(CampaignInfo campaign, IReadOnlyList<ArchiveSet> sets, CancellationToken cancellationToken)
    {
        var recorded = await shards.ReadAsync(campaign.Id, cancellationToken).ConfigureAwait(false);
        var plan = new List<ShardRecord>();
        foreach (var set in sets)
        {
            var ofSet = recorded.Where(s => string.Equals(s.Table, set.Table, StringComparison.Ordinal)).ToList();
            if (ofSet.Count == 0)
            {
                var starts = await source.GetShardStartsAsync(set, campaign.Id, options.ShardRows, cancellationToken).ConfigureAwait(false);
                ofSet = [.. await shards.PlanAsync(campaign.Id, set.Table, starts, cancellationToken).ConfigureAwait(false)];
            }

            plan.AddRange(ofSet);
        }

        return plan;
    }

    /// <summary>Copies and verifies the pending shards, <paramref name="parallel"/> at a time; the shards another process holds.</summary>
    public async Task<IReadOnlyList<ShardRecord>> RunAsync(
        CampaignInfo campaign, IReadOnlyList<ArchiveSet> sets, IReadOnlyList<ShardRecord> pending, int parallel, CampaignTally tally, Func<bool> stopRequested, CancellationToken cancellationToken)
    {
        var runner = new ShardRunner(source, shards, store, options, logger, checkpoints);
        var heldElsewhere = new List<ShardRecord>();
        var gate = new object();
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, async (shard, ct) =>
        {
            var set = sets.First(s => string.Equals(s.Table, shard.Table, StringComparison.Ordinal));
            var own = new CampaignTally();
            try
            {
                if (await runner.RunAsync(set, campaign, shard, own, stopRequested, ct).ConfigureAwait(false) == ShardOutcome.HeldElsewhere)
                {
                    lock (gate)
                    {
                        heldElsewhere.Add(shard);
                    }
                }
            }
            finally
            {
                // Each shard counts on its own; the campaign's tally and progress add them up as they end.
                lock (gate)
                {
                    tally.RowsRead += own.RowsRead;
                    tally.RowsSaved += own.RowsSaved;
                    tally.RowsVerified += own.RowsVerified;
                    tally.Batches += own.Batches;
                    tally.Documents += own.Documents;
                    progress?.RowsArchived(campaign, tally.RowsSaved, tally.ExpectedRows, tally.Documents);
                }
            }
        }).ConfigureAwait(false);
        return heldElsewhere;
    }

    /// <summary>Verifies one set of a campaign whose every shard is verified, and saves and verifies its rollups (see the summary).</summary>
    public async Task<VerifiedSet> VerifyAsync(
        ArchiveSet set, CampaignInfo campaign, IReadOnlyList<ShardRecord> setShards, SetWriter writer, SetVerifier verifier, CampaignTally tally, CancellationToken cancellationToken)
    {
        string Fail(string what) => $"campaign {campaign.Id}, set {set.Table}, database {set.Database}: {what}";
        var fingerprint = await source.GetFingerprintAsync(set, campaign.Id, cancellationToken).ConfigureAwait(false);
        var rollups = new RollupBuilder(set, campaign.Id);
        using var checksum = new ArchiveChecksum();
        using var revisions = new RevisionDigest();
        using var archive = new RevisionDigest();
        var starts = setShards.Select(s => s.Range.DocumentRange(set.Table, campaign.Id).Start).ToList();
        var index = 0;
        var shardDigest = new RevisionDigest();
        try
        {
            await foreach (var pair in RowDocumentJoin.JoinAsync(source, store, set, campaign.Id, KeyRange.All, includeDocs: false, RevisionPairing.PageSize, cancellationToken).ConfigureAwait(false))
            {
                var (row, document) = pair;
                var id = row?.Id ?? document!.Id;
                while (index + 1 < setShards.Count && string.CompareOrdinal(id, starts[index + 1]) >= 0)
                {
                    await CloseAsync(setShards[index], shardDigest).ConfigureAwait(false);
                    shardDigest.Dispose();
                    shardDigest = new RevisionDigest();
                    index++;
                }

                if (row is null || document is null)
                {
                    await shards.ResetAsync(setShards[index], CancellationToken.None).ConfigureAwait(false);
                    var what = row is null ? $"document {document!.Id} has no row" : $"row {row.Id} has no document";
                    throw new ArchiveVerificationException(campaign.Id, set.Table, Fail(
                        $"shard {setShards[index].Name} changed after it was verified ({what}); not flagged, the shard is reset and the next run copies it again"));
                }

                var hash = DocumentContent.Hash(row);
                checksum.Add(hash);
                revisions.Add(row.Id, hash, document.Rev!);
                shardDigest.Add(row.Id, hash, document.Rev!);
                archive.Add(pair);
                rollups.Add(row);
                if (++tally.RowsVerified % RevisionPairing.PageSize == 0)
                {
                    progress?.RowsVerified(campaign, tally.RowsVerified, tally.ExpectedRows);
                }
            }

            for (; index < setShards.Count; index++)
            {
                await CloseAsync(setShards[index], shardDigest).ConfigureAwait(false);
                shardDigest.Dispose();
                shardDigest = new RevisionDigest();
            }
        }
        finally
        {
            shardDigest.Dispose();
        }

        if (revisions.Count != fingerprint.Count)
        {
            throw new ArchiveVerificationException(campaign.Id, set.Table,
                Fail($"MySQL counted {fingerprint.Count:N0} rows before verification and {revisions.Count:N0} while verifying; rows are still changing"));
        }

        var minutes = rollups.Build();
        using (var saved = new RevisionDigest())
        {
            await writer.WriteRollupsAsync(set, campaign, minutes, tally, saved, cancellationToken).ConfigureAwait(false);
        }

        checkpoints?.Reached("after-rollups:" + set.Table);
        await verifier.VerifyRollupsAsync(set, campaign, minutes, archive, Fail, cancellationToken).ConfigureAwait(false);
        return new VerifiedSet(set, fingerprint, checksum.Value, revisions.Value) { ArchiveRevisions = archive.Value, ArchiveReadById = [.. archive.ReadById] };

        async Task CloseAsync(ShardRecord shard, RevisionDigest digest)
        {
            if (shard.Rows == digest.Count && string.Equals(shard.Digest, digest.Value, StringComparison.Ordinal))
            {
                return;
            }

            await shards.ResetAsync(shard, CancellationToken.None).ConfigureAwait(false);
            throw new ArchiveVerificationException(campaign.Id, set.Table, Fail(string.Create(CultureInfo.InvariantCulture,
                $"shard {shard.Name} ({shard.Range}) is not what its verification recorded ({shard.Rows:N0} rows then, {digest.Count:N0} now): rows or documents changed since; not flagged, the shard is reset and the next run copies it again")));
        }
    }
}
