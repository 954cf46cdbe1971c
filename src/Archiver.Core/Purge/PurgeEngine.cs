using System.Diagnostics;
using System.Globalization;
using Archiver.Documents;
using Archiver.Engine;
using Archiver.Options;
using Archiver.Sets;
using Archiver.Source;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Archiver.Purge;

/// <summary>
/// Deletes the MySQL rows of archived campaigns. For each campaign, under the same lock the archive
/// takes: verify every set's remaining rows against the archive (nothing is deleted unless every set
/// passes), record the purge of each set in the journal, then delete in primary-key chunks, each in
/// one transaction that proves its rows are the verified ones. A failure or a mismatch stops that
/// campaign only; a re-run (after a crash, a stop or a cancellation) verifies again against the
/// journal and deletes exactly what is left.
/// </summary>
public sealed class PurgeEngine(
    IArchiveSource source,
    IPurgeTarget target,
    IDocumentStore store,
    IOptions<ArchiveOptions> archiveOptions,
    IOptions<PurgeOptions> purgeOptions,
    ILogger<PurgeEngine> logger,
    IArchiveCheckpoints? checkpoints = null,
    TimeProvider? timeProvider = null)
{
    private readonly ArchiveOptions _archive = archiveOptions.Value;
    private readonly PurgeOptions _defaults = purgeOptions.Value;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public async Task<PurgeRunResult> RunAsync(PurgeRequest request, IPurgeProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var run = new Run(request, _defaults, _time);
        var results = new List<PurgeCampaignResult>();
        IReadOnlyList<ArchiveSet> sets;
        IReadOnlyList<CampaignInfo> campaigns;
        try
        {
            sets = await DescribeSetsAsync(cancellationToken).ConfigureAwait(false);

            // A dry run must not even create the journal's table: it writes nothing to either database.
            if (!request.DryRun)
            {
                await target.EnsureJournalAsync(cancellationToken).ConfigureAwait(false);
            }

            campaigns = await SelectCampaignsAsync(request, sets, results, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new PurgeRunResult(results, run.Elapsed, request.DryRun, PurgeStopReason.Cancelled);
        }

        foreach (var refused in results)
        {
            progress?.CampaignFinished(refused);
        }

        foreach (var campaign in campaigns)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                run.Stop = PurgeStopReason.Cancelled;
            }
            else if (!request.DryRun && run.Expired)
            {
                run.Stop = PurgeStopReason.MaxRuntime;
            }

            if (run.Stop != PurgeStopReason.Completed)
            {
                break;
            }

            var stopwatch = Stopwatch.StartNew();
            var tally = new Tally();
            PurgeCampaignResult result;
            try
            {
                result = request.DryRun
                    ? await PlanCampaignAsync(campaign, sets, run, cancellationToken).ConfigureAwait(false)
                    : await PurgeCampaignAsync(campaign, sets, run, tally, progress, stopwatch, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                run.Stop = PurgeStopReason.Cancelled;
                result = Result(campaign, PurgeOutcome.Stopped, $"interrupted after {tally.RowsDeleted:N0} rows were deleted; run again to finish", tally, stopwatch);
            }
            catch (ArchiveVerificationException ex)
            {
                Log.PurgeBlocked(logger, campaign.Id, ex.Message);
                result = Result(campaign, PurgeOutcome.Blocked, ex.Message, tally, stopwatch);
            }
            catch (ServiceUnavailableException ex)
            {
                // The server's circuit breaker is open: every remaining campaign would fail at once.
                Log.PurgeFailed(logger, campaign.Id, ex.Message);
                run.Stop = PurgeStopReason.ServiceUnavailable;
                result = Result(campaign, PurgeOutcome.Failed, ex.Message, tally, stopwatch);
            }
#pragma warning disable CA1031 // One campaign's failure, whatever it is, is reported with its campaign and must not stop the others.
            catch (Exception ex) when (ex is not ArchiverConfigurationException)
#pragma warning restore CA1031
            {
                var reason = ex is ArchiverException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
                if (ex is ArchiverException)
                {
                    Log.PurgeFailed(logger, campaign.Id, reason);
                }
                else
                {
                    Log.PurgeFailedUnexpectedly(logger, campaign.Id, ex);
                }

                result = Result(campaign, PurgeOutcome.Failed, reason, tally, stopwatch);
            }

            results.Add(result);
            progress?.CampaignFinished(result);
        }

        return new PurgeRunResult(results, run.Elapsed, request.DryRun, run.Stop);
    }

    private async Task<IReadOnlyList<ArchiveSet>> DescribeSetsAsync(CancellationToken cancellationToken)
    {
        var sets = new List<ArchiveSet>(_archive.Sets.Count);
        foreach (var set in _archive.Sets)
        {
            sets.Add(await source.DescribeAsync(set, cancellationToken).ConfigureAwait(false));
        }

        return sets;
    }

    private async Task<IReadOnlyList<CampaignInfo>> SelectCampaignsAsync(
        PurgeRequest request, IReadOnlyList<ArchiveSet> sets, List<PurgeCampaignResult> results, CancellationToken cancellationToken)
    {
        if (request.CampaignId is not { } id)
        {
            return await target.FindArchivedCampaignsAsync(sets, request.OlderThan, cancellationToken).ConfigureAwait(false);
        }

        var campaign = await source.GetCampaignAsync(id, cancellationToken).ConfigureAwait(false);
        var refusal = campaign is null ? "no such campaign" : Refusal(campaign, request.OlderThan);
        if (refusal is null)
        {
            return [campaign!];
        }

        var outcome = request.IneligibleIsSkipped && campaign is not null ? PurgeOutcome.Skipped : PurgeOutcome.Failed;
        results.Add(new PurgeCampaignResult { CampaignId = id, Name = campaign?.Name, Outcome = outcome, Reason = refusal });
        return [];
    }

    /// <summary>Why a campaign must not be purged now, or null.</summary>
    private static string? Refusal(CampaignInfo campaign, TimeSpan? olderThan)
    {
        if (!campaign.Archived)
        {
            return "not archived: refusing to purge rows that are not verified in the archive; nothing deleted";
        }

        if (olderThan is { } age && (campaign.ArchivedAt is not { } at || at > campaign.DatabaseNow - age))
        {
            var when = campaign.ArchivedAt is { } archivedAt
                ? string.Create(CultureInfo.InvariantCulture, $"archived at {archivedAt:yyyy-MM-dd HH:mm:ss} UTC")
                : "archived_at is NULL";
            return string.Create(CultureInfo.InvariantCulture,
                $"not eligible: {when}, which is not at least --older-than ({age}) before the database's clock ({campaign.DatabaseNow:yyyy-MM-dd HH:mm:ss} UTC); nothing deleted");
        }

        return null;
    }

    private async Task<PurgeCampaignResult> PlanCampaignAsync(CampaignInfo campaign, IReadOnlyList<ArchiveSet> sets, Run run, CancellationToken cancellationToken)
    {
        long rows = 0;
        var batches = 0;
        var parts = new List<string>();
        foreach (var set in sets)
        {
            var count = await source.CountRowsAsync(set, campaign.Id, cancellationToken).ConfigureAwait(false);
            var setBatches = (int)((count + run.BatchSize - 1) / run.BatchSize);
            rows += count;
            batches += setBatches;
            parts.Add($"{count:N0} {set.Table} rows in {setBatches:N0} batches");
        }

        return new PurgeCampaignResult
        {
            CampaignId = campaign.Id,
            Name = campaign.Name,
            Outcome = PurgeOutcome.WouldPurge,
            Rows = rows,
            Batches = batches,
            Reason = $"would verify against the archive, then delete {string.Join(", ", parts)} (batches of up to {run.BatchSize:N0})",
        };
    }

    private async Task<PurgeCampaignResult> PurgeCampaignAsync(
        CampaignInfo selected, IReadOnlyList<ArchiveSet> sets, Run run, Tally tally, IPurgeProgress? progress, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        var campaignLock = await source.TryLockCampaignAsync(selected.Id, cancellationToken).ConfigureAwait(false);
        if (campaignLock is null)
        {
            return Result(selected, PurgeOutcome.Skipped, "another archiver or purge is working on it (it holds the campaign's MySQL lock)", tally, stopwatch);
        }

        await using (campaignLock.ConfigureAwait(false))
        {
            // Read again under the lock: the flag is what says the archive was verified.
            var campaign = await source.GetCampaignAsync(selected.Id, cancellationToken).ConfigureAwait(false);
            if (campaign is null)
            {
                return Result(selected, PurgeOutcome.Failed, "the campaign row disappeared", tally, stopwatch);
            }

            if (!campaign.Archived)
            {
                return Result(campaign, PurgeOutcome.Failed, Refusal(campaign, null)!, tally, stopwatch);
            }

            var journal = await target.ReadJournalAsync(campaign.Id, cancellationToken).ConfigureAwait(false);
            var archived = await target.ReadArchivedSetsAsync(campaign.Id, cancellationToken).ConfigureAwait(false);
            var counts = new List<(ArchiveSet Set, long Rows)>(sets.Count);
            foreach (var set in sets)
            {
                counts.Add((set, await source.CountRowsAsync(set, campaign.Id, cancellationToken).ConfigureAwait(false)));
            }

            tally.Rows = counts.Sum(c => c.Rows);
            progress?.Verifying(campaign, tally.Rows);
            var verifying = Stopwatch.StartNew();
            var verifier = new PurgeVerifier(source, target, store, _archive.BatchSize, logger);
            var plans = new List<PurgeSetPlan>(sets.Count);
            foreach (var (set, rows) in counts)
            {
                var entry = journal.GetValueOrDefault(set.Table);
                if (rows == 0)
                {
                    // Nothing to delete needs no proof. A purge killed after its last batch left the entry open.
                    if (entry is { FinishedAt: null })
                    {
                        await target.RecordFinishedAsync(campaign.Id, set.Table, cancellationToken).ConfigureAwait(false);
                    }

                    continue;
                }

                var plan = await verifier.VerifyAsync(set, campaign, entry, archived.GetValueOrDefault(set.Table), run.BatchSize, null, cancellationToken).ConfigureAwait(false);
                plans.Add(plan);
                tally.RowsVerified += plan.Rows;
                tally.Checksums.Add($"{set.Table}={plan.Checksum}");
                tally.VerifiedBy.Add($"{set.Table} by {(plan.ByRevisions ? "revisions" : "contents")}");
                checkpoints?.Reached($"purge-after-verify:{set.Table}");
            }

            tally.Verifying = verifying.Elapsed;
            if (plans.Count == 0)
            {
                return Result(campaign, PurgeOutcome.Skipped, "no rows left to purge", tally, stopwatch);
            }

            var total = plans.Sum(p => p.Rows);
            progress?.Deleting(campaign, total);
            foreach (var plan in plans)
            {
                var set = plan.Set;
                if (plan.Journal is null)
                {
                    await target.RecordStartAsync(campaign.Id, set.Table, plan.Documents, plan.Checksum, cancellationToken).ConfigureAwait(false);
                    checkpoints?.Reached($"purge-after-start:{set.Table}");
                }

                var deleted = plan.Journal?.RowsDeleted ?? 0;
                foreach (var chunk in plan.Chunks)
                {
                    if (tally.Batches > 0 && run.Sleep > TimeSpan.Zero)
                    {
                        await Task.Delay(run.Sleep, _time, cancellationToken).ConfigureAwait(false);
                    }

                    if (StopBeforeBatch(run, cancellationToken) is { } stop)
                    {
                        return Result(campaign, PurgeOutcome.Stopped,
                            $"{stop} after {tally.RowsDeleted:N0} of {total:N0} rows were deleted; run again to finish", tally, stopwatch);
                    }

                    if (campaignLock.IsLost)
                    {
                        throw new CampaignLockLostException(campaignLock.Name, $"after {tally.RowsDeleted:N0} rows were deleted; run again to finish");
                    }

                    var started = _time.GetTimestamp();
                    var count = await target.DeleteChunkAsync(set, campaign.Id, chunk, deleted, cancellationToken).ConfigureAwait(false);
                    tally.Deleting += _time.GetElapsedTime(started);
                    deleted += count;
                    tally.RowsDeleted += count;
                    tally.Batches++;
                    checkpoints?.Reached(string.Create(CultureInfo.InvariantCulture, $"purge-after-batch:{tally.Batches}"));
                    progress?.RowsDeleted(campaign, tally.RowsDeleted, total);
                }

                await target.RecordFinishedAsync(campaign.Id, set.Table, cancellationToken).ConfigureAwait(false);
                checkpoints?.Reached($"purge-after-set:{set.Table}");
            }

            Log.CampaignPurged(logger, campaign.Id, tally.RowsDeleted, tally.Batches, tally.Verifying.TotalSeconds, tally.Deleting.TotalSeconds);
            return Result(campaign, PurgeOutcome.Purged, null, tally, stopwatch);
        }
    }

    /// <summary>Why to stop before the next batch (a batch in flight always finishes), or null to go on.</summary>
    private static string? StopBeforeBatch(Run run, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            run.Stop = PurgeStopReason.Cancelled;
            return "cancelled";
        }

        if (run.Expired)
        {
            run.Stop = PurgeStopReason.MaxRuntime;
            return string.Create(CultureInfo.InvariantCulture, $"stopped at the maximum run time ({run.MaxRuntime})");
        }

        return null;
    }

    private static PurgeCampaignResult Result(CampaignInfo campaign, PurgeOutcome outcome, string? reason, Tally tally, Stopwatch stopwatch) => new()
    {
        CampaignId = campaign.Id,
        Name = campaign.Name,
        Outcome = outcome,
        Reason = reason,
        Rows = tally.Rows,
        RowsVerified = tally.RowsVerified,
        RowsDeleted = tally.RowsDeleted,
        Batches = tally.Batches,
        Checksums = tally.Checksums,
        VerifiedBy = tally.VerifiedBy,
        Elapsed = stopwatch.Elapsed,
        Verifying = tally.Verifying,
        Deleting = tally.Deleting,
    };

    /// <summary>A run's settings (the request over the configured defaults, checked) and its clock.</summary>
    private sealed class Run
    {
        private readonly TimeProvider _time;
        private readonly long _started;

        public Run(PurgeRequest request, PurgeOptions defaults, TimeProvider time)
        {
            BatchSize = request.BatchSize ?? defaults.BatchSize;
            Sleep = request.Sleep ?? defaults.Sleep;
            MaxRuntime = request.MaxRuntime;
            var problems = new List<string>();
            if (PurgeOptionsValidator.BatchSizeProblem(BatchSize) is { } batch)
            {
                problems.Add($"the batch size {batch}");
            }

            if (PurgeOptionsValidator.SleepProblem(Sleep) is { } sleep)
            {
                problems.Add($"the pause between batches {sleep}");
            }

            if (MaxRuntime is { } max && max <= TimeSpan.Zero)
            {
                problems.Add($"the maximum run time must be positive (got {max})");
            }

            if (request.OlderThan is { } age && (age < TimeSpan.Zero || age > ArchiveOptionsValidator.MaxCompletedAfter))
            {
                problems.Add($"--older-than must be between 0 and {ArchiveOptionsValidator.MaxCompletedAfter.TotalDays:N0} days (got {age})");
            }

            if (problems.Count > 0)
            {
                throw new ArchiverConfigurationException("purge: " + string.Join("; ", problems));
            }

            _time = time;
            _started = time.GetTimestamp();
        }

        public int BatchSize { get; }

        public TimeSpan Sleep { get; }

        public TimeSpan? MaxRuntime { get; }

        public PurgeStopReason Stop { get; set; }

        public TimeSpan Elapsed => _time.GetElapsedTime(_started);

        public bool Expired => MaxRuntime is { } max && Elapsed >= max;
    }

    /// <summary>What a campaign's purge has done so far, kept outside it so that a failure still reports it.</summary>
    private sealed class Tally
    {
        public long Rows { get; set; }

        public long RowsVerified { get; set; }

        public long RowsDeleted { get; set; }

        public int Batches { get; set; }

        public TimeSpan Verifying { get; set; }

        public TimeSpan Deleting { get; set; }

        public List<string> Checksums { get; } = [];

        public List<string> VerifiedBy { get; } = [];
    }
}
