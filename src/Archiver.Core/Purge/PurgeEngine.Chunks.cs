using System.Globalization;
using System.Threading.Channels;
using Archiver.Engine;
using Archiver.Sets;
using Archiver.Source;

namespace Archiver.Purge;

/// <summary>The delete phase: a set's batches, and for a set the flag recorded in chunks, each next chunk verified while the one before it is deleted.</summary>
public sealed partial class PurgeEngine
{
    /// <summary>
    /// The first chunk of the set with rows left, verified; the chunks after it are verified as the
    /// deletes go. Verifying one chunk of every set before deleting anything keeps a campaign whose sets
    /// fit in one chunk each to the rule "nothing deleted unless every set is proved". A resumed purge
    /// whose documents of purged rows are no longer as the flag recorded them (<see cref="ChunkProof.Unproved"/>,
    /// only possible up to the chunk it stopped in, since chunks are deleted in order) is verified whole
    /// against its journal, as a set without chunks is.
    /// </summary>
    private static async Task<PurgeSetPlan> VerifyFirstChunkAsync(
        ChunkVerifier verifier, PurgeVerifier wholeSet, ArchiveSet set, CampaignInfo campaign, ArchivedSetRecord flagged, IReadOnlyList<ArchivedChunk> recorded,
        PurgeJournalEntry? entry, long rows, int batchSize, CancellationToken cancellationToken)
    {
        for (var index = 0; index < recorded.Count; index++)
        {
            var first = await verifier.VerifyAsync(set, campaign, recorded[index], batchSize, untouched: false, null, cancellationToken).ConfigureAwait(false);
            switch (first.Proof)
            {
                case ChunkProof.Purged:
                    continue;
                case ChunkProof.Unproved:
                    return await wholeSet.VerifyAsync(set, campaign, entry, flagged, batchSize, null, cancellationToken).ConfigureAwait(false);
                default:
                    return new PurgeSetPlan(set, first.Batches, rows, flagged.Rows, flagged.Checksum, entry, first.Proof == ChunkProof.Revisions, recorded.Skip(index + 1).ToList());
            }
        }

        // Rows left, but none in a recorded chunk: the delete phase names them (see Deleting.PurgeSetAsync).
        return new PurgeSetPlan(set, [], rows, flagged.Rows, flagged.Checksum, entry, ByRevisions: true, []);
    }

    /// <summary>A campaign's deletes, between which the run's pause, cancellation, time limit and lock are checked.</summary>
    private sealed class Deleting(
        IArchiveSource source, IPurgeTarget target, IArchiveCheckpoints? checkpoints, TimeProvider time, CampaignInfo campaign, ICampaignLock campaignLock, Settings run, RunLimit limit, Tally tally, IPurgeProgress? progress)
    {
        public async Task PurgeSetAsync(PurgeSetPlan plan, ChunkVerifier verifier, CancellationToken cancellationToken)
        {
            var set = plan.Set;
            if (plan.Journal is null)
            {
                await target.RecordStartAsync(campaign.Id, set.Table, plan.Documents, plan.Checksum, cancellationToken).ConfigureAwait(false);
                checkpoints?.Reached($"purge-after-start:{set.Table}");
            }

            var deleted = await DeleteAsync(set, plan.Chunks, plan.Journal?.RowsDeleted ?? 0, cancellationToken).ConfigureAwait(false);
            if (plan.Pending is { } pending)
            {
                if (pending.Count > 0)
                {
                    await DeleteVerifyingAheadAsync(set, pending, verifier, deleted, cancellationToken).ConfigureAwait(false);
                }

                // Only rows inside the recorded chunks were proved: any other row of the campaign (added
                // after the flag) is not archived, and the set is not finished.
                var left = await source.CountRowsAsync(set, campaign.Id, cancellationToken).ConfigureAwait(false);
                if (left > 0)
                {
                    throw new ArchiveVerificationException(campaign.Id, set.Table, string.Create(CultureInfo.InvariantCulture,
                        $"campaign {campaign.Id}, set {set.Table}, database {set.Database}: {left:N0} rows are outside the chunks its flag recorded (added after the flag?); they are not proved archived and were not deleted"));
                }
            }

            await target.RecordFinishedAsync(campaign.Id, set.Table, cancellationToken).ConfigureAwait(false);
            checkpoints?.Reached($"purge-after-set:{set.Table}");
        }

        /// <summary>
        /// Chunk k+1 is verified while chunk k is deleted, through a channel of one: verification runs
        /// at most two chunks ahead. A chunk that fails verification ends the set after the chunks
        /// verified before it are deleted; a failed delete (or a stop) cancels the verification.
        /// </summary>
        private async Task<long> DeleteVerifyingAheadAsync(ArchiveSet set, IReadOnlyList<ArchivedChunk> pending, ChunkVerifier verifier, long deleted, CancellationToken cancellationToken)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var verified = Channel.CreateBounded<VerifiedChunk>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
            var ahead = Task.Run(() => VerifyAheadAsync(verifier, set, pending, verified.Writer, stop.Token), CancellationToken.None);
            try
            {
                await foreach (var chunk in verified.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    tally.RowsVerified += chunk.Rows;
                    tally.Verifying += chunk.Elapsed;
                    if (chunk.Proof == ChunkProof.Contents)
                    {
                        var by = tally.VerifiedBy.IndexOf($"{set.Table} by revisions");
                        if (by >= 0)
                        {
                            tally.VerifiedBy[by] = $"{set.Table} by contents";
                        }
                    }

                    deleted = await DeleteAsync(set, chunk.Batches, deleted, cancellationToken).ConfigureAwait(false);
                }
            }
            catch
            {
                await stop.CancelAsync().ConfigureAwait(false);
                await Task.WhenAny(ahead).ConfigureAwait(false);
                _ = ahead.Exception; // the delete's own failure is the one reported
                throw;
            }

            // Throws the verification failure, if any, once every chunk verified before it is deleted.
            await ahead.ConfigureAwait(false);
            return deleted;
        }

        private async Task VerifyAheadAsync(ChunkVerifier verifier, ArchiveSet set, IReadOnlyList<ArchivedChunk> pending, ChannelWriter<VerifiedChunk> writer, CancellationToken cancellationToken)
        {
            var revisions = verifier.ReadAhead(set, campaign.Id, pending[0].FirstKey, cancellationToken);
            await using var disposeRevisions = revisions.ConfigureAwait(false);
            try
            {
                foreach (var chunk in pending)
                {
                    var verified = await verifier.VerifyAsync(set, campaign, chunk, run.BatchSize, untouched: true, revisions, cancellationToken).ConfigureAwait(false);
                    if (verified.Proof == ChunkProof.Unproved)
                    {
                        throw new ArchiveVerificationException(campaign.Id, set.Table, string.Create(CultureInfo.InvariantCulture,
                            $"campaign {campaign.Id}, set {set.Table}, database {set.Database}: {chunk}: rows of it are gone from MySQL and its documents are not the ones the flag recorded, so the flag's record cannot prove them; nothing of this chunk deleted (chunks before it may be); run again to verify the set whole against the purge journal"));
                    }

                    if (verified.Batches.Count > 0)
                    {
                        await writer.WriteAsync(verified, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                writer.Complete();
            }
        }

        /// <summary>Deletes the batches in order, each in its own transaction; returns the journal's count of rows deleted after them.</summary>
        private async Task<long> DeleteAsync(ArchiveSet set, IReadOnlyList<PurgeChunk> batches, long deleted, CancellationToken cancellationToken)
        {
            foreach (var batch in batches)
            {
                if (tally.Batches > 0 && run.Sleep > TimeSpan.Zero)
                {
                    await Task.Delay(run.Sleep, time, cancellationToken).ConfigureAwait(false);
                }

                // Between batches only: the batch in flight always commits or rolls back whole.
                cancellationToken.ThrowIfCancellationRequested();
                if (limit.Expired)
                {
                    throw new RunStoppedException(string.Create(CultureInfo.InvariantCulture,
                        $"stopped at the maximum run time ({limit.MaxRuntime}) after {tally.RowsDeleted:N0} of {tally.Total:N0} rows were deleted; run again to finish"));
                }

                if (campaignLock.IsLost)
                {
                    throw new CampaignLockLostException(campaignLock.Name, $"after {tally.RowsDeleted:N0} rows were deleted; run again to finish");
                }

                var started = time.GetTimestamp();
                var count = await target.DeleteChunkAsync(set, campaign.Id, batch, deleted, cancellationToken).ConfigureAwait(false);
                tally.Deleting += time.GetElapsedTime(started);
                deleted += count;
                tally.RowsDeleted += count;
                tally.Batches++;
                checkpoints?.Reached(string.Create(CultureInfo.InvariantCulture, $"purge-after-batch:{tally.Batches}"));
                progress?.RowsDeleted(campaign, tally.RowsDeleted, tally.Total);
            }

            return deleted;
        }
    }
}
