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
public sealed partial class PurgeEngine(
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
        var settings = new Settings(request, _defaults);

        // A dry run only counts: the time limit is for deleting.
        var limit = new RunLimit(request.DryRun ? null : settings.MaxRuntime, _time);
        var (results, stop) = await new CampaignRunner<PurgeCampaignResult, Tally>(source, new Run(this, target, logger, request, settings, progress, limit))
            .RunAsync(_archive.Sets, request.CampaignId, request.DryRun, limit, cancellationToken).ConfigureAwait(false);
        return new PurgeRunResult(results, limit.Elapsed, request.DryRun, stop);
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

    private async Task<PurgeCampaignResult> PurgeCampaignAsync(
        CampaignInfo campaign, ICampaignLock campaignLock, IReadOnlyList<ArchiveSet> sets, Settings run, RunLimit limit, Tally tally, IPurgeProgress? progress,
        Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        if (!campaign.Archived)
        {
            return Result(campaign, PurgeOutcome.Failed, Refusal(campaign, null)!, tally, stopwatch.Elapsed);
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
        var chunkVerifier = new ChunkVerifier(source, target, store, _archive.BatchSize, logger);
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

            var flagged = archived.GetValueOrDefault(set.Table);
            var recorded = flagged is null ? [] : await target.ReadArchivedChunksAsync(campaign.Id, set.Table, cancellationToken).ConfigureAwait(false);
            var plan = recorded.Count > 0 && recorded.Sum(c => c.Fingerprint.Count) == flagged!.Rows
                ? await VerifyFirstChunkAsync(chunkVerifier, verifier, set, campaign, flagged, recorded, entry, rows, run.BatchSize, cancellationToken).ConfigureAwait(false)
                : await verifier.VerifyAsync(set, campaign, entry, flagged, run.BatchSize, null, cancellationToken).ConfigureAwait(false);
            plans.Add(plan);
            tally.RowsVerified += plan.Pending is null ? plan.Rows : PurgeVerifier.Sum(plan.Chunks).Count;
            tally.Checksums.Add($"{set.Table}={plan.Checksum}");
            tally.VerifiedBy.Add($"{set.Table} by {(plan.ByRevisions ? "revisions" : "contents")}");
            checkpoints?.Reached($"purge-after-verify:{set.Table}");
        }

        tally.Verifying = verifying.Elapsed;
        if (plans.Count == 0)
        {
            return Result(campaign, PurgeOutcome.Skipped, "no rows left to purge", tally, stopwatch.Elapsed);
        }

        var total = tally.Total = plans.Sum(p => p.Rows);
        progress?.Deleting(campaign, total);
        var deleting = new Deleting(source, target, checkpoints, _time, campaign, campaignLock, run, limit, tally, progress);
        foreach (var plan in plans)
        {
            await deleting.PurgeSetAsync(plan, chunkVerifier, cancellationToken).ConfigureAwait(false);
        }

        Log.CampaignPurged(logger, campaign.Id, tally.RowsDeleted, tally.Batches, tally.Verifying.TotalSeconds, tally.Deleting.TotalSeconds);
        return Result(campaign, PurgeOutcome.Purged, null, tally, stopwatch.Elapsed);
    }

    private static PurgeCampaignResult Result(CampaignInfo campaign, PurgeOutcome outcome, string? reason, Tally tally, TimeSpan elapsed) => new()
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
        Elapsed = elapsed,
        Verifying = tally.Verifying,
        Deleting = tally.Deleting,
    };

    /// <summary>A run's settings: the request over the configured defaults, checked.</summary>
    private sealed class Settings
    {
        public Settings(PurgeRequest request, PurgeOptions defaults)
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
        }

        public int BatchSize { get; }

        public TimeSpan Sleep { get; }

        public TimeSpan? MaxRuntime { get; }
    }

    /// <summary>What a campaign's purge has done so far, kept outside it so that a failure still reports it.</summary>
    private sealed class Tally : RunTally
    {
        public long Rows { get; set; }

        /// <summary>Rows to delete once every set is verified; 0 until then.</summary>
        public long Total { get; set; }

        public long RowsDeleted { get; set; }

        public TimeSpan Deleting { get; set; }

        public List<string> VerifiedBy { get; } = [];
    }

    /// <summary>One purge run: the steps the skeleton runs, with the run's request, settings, progress and limit.</summary>
    private sealed class Run(
        PurgeEngine engine, IPurgeTarget target, ILogger logger, PurgeRequest request, Settings settings, IPurgeProgress? progress, RunLimit limit)
        : ICampaignRunSteps<PurgeCampaignResult, Tally>
    {
        public Task PrepareAsync(CancellationToken cancellationToken) => target.EnsureJournalAsync(cancellationToken);

        public Task<IReadOnlyList<CampaignInfo>> FindAsync(IReadOnlyList<ArchiveSet> sets, CancellationToken cancellationToken) =>
            target.FindArchivedCampaignsAsync(sets, request.OlderThan, cancellationToken);

        public PurgeCampaignResult? Refuse(CampaignInfo campaign) => Refusal(campaign, request.OlderThan) is { } refusal
            ? new PurgeCampaignResult { CampaignId = campaign.Id, Name = campaign.Name, Outcome = request.IneligibleIsSkipped ? PurgeOutcome.Skipped : PurgeOutcome.Failed, Reason = refusal }
            : null;

        public PurgeCampaignResult NoSuchCampaign(long campaignId) => new() { CampaignId = campaignId, Outcome = PurgeOutcome.Failed, Reason = "no such campaign" };

        public int BatchSize => settings.BatchSize;

        public string DescribePlannedSet(ArchiveSet set, long rows, int batches) => $"{rows:N0} {set.Table} rows in {batches:N0} batches";

        public PurgeCampaignResult Planned(CampaignInfo campaign, CampaignPlan plan) => new()
        {
            CampaignId = campaign.Id,
            Name = campaign.Name,
            Outcome = PurgeOutcome.WouldPurge,
            Rows = plan.Rows,
            Batches = plan.Batches,
            Reason = $"would verify against the archive, then delete {plan.Sets} (batches of up to {BatchSize:N0})",
        };

        public Task<PurgeCampaignResult> ProcessAsync(
            CampaignInfo campaign, ICampaignLock campaignLock, IReadOnlyList<ArchiveSet> sets, Tally tally, Stopwatch stopwatch, CancellationToken cancellationToken) =>
            engine.PurgeCampaignAsync(campaign, campaignLock, sets, settings, limit, tally, progress, stopwatch, cancellationToken);

        public PurgeCampaignResult Ended(CampaignInfo campaign, CampaignEnd end, string? reason, Tally tally, TimeSpan elapsed) => end switch
        {
            CampaignEnd.HeldElsewhere => Result(campaign, PurgeOutcome.Skipped, "another archiver or purge is working on it (it holds the campaign's MySQL lock)", tally, elapsed),
            CampaignEnd.Stopped => Result(campaign, PurgeOutcome.Stopped, reason, tally, elapsed),
            CampaignEnd.Cancelled => Result(campaign, PurgeOutcome.Stopped, tally.Total > 0
                ? string.Create(CultureInfo.InvariantCulture, $"interrupted after {tally.RowsDeleted:N0} of {tally.Total:N0} rows were deleted; run again to finish")
                : string.Create(CultureInfo.InvariantCulture, $"interrupted after {tally.RowsDeleted:N0} rows were deleted; run again to finish"), tally, elapsed),
            _ => Result(campaign, PurgeOutcome.Failed, reason, tally, elapsed),
        };

        public PurgeCampaignResult Failed(CampaignInfo campaign, Exception error, string reason, Tally tally, TimeSpan elapsed)
        {
            if (error is ArchiveVerificationException)
            {
                Log.PurgeBlocked(logger, campaign.Id, reason);
                return Result(campaign, PurgeOutcome.Blocked, reason, tally, elapsed);
            }

            if (error is ArchiverException)
            {
                Log.PurgeFailed(logger, campaign.Id, reason);
            }
            else
            {
                Log.PurgeFailedUnexpectedly(logger, campaign.Id, error);
            }

            return Result(campaign, PurgeOutcome.Failed, reason, tally, elapsed);
        }

        public Task RecordAsync(PurgeCampaignResult result, Tally tally) => Task.CompletedTask;

        public void Finished(PurgeCampaignResult result) => progress?.CampaignFinished(result);
    }
}
