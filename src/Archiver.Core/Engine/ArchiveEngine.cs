using System.Diagnostics;
using System.Globalization;
using Archiver.Documents;
using Archiver.Options;
using Archiver.Purge;
using Archiver.Sets;
using Archiver.Source;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Archiver.Engine;

/// <summary>
/// Archives completed campaigns. For each campaign, under a lock no other archiver can hold at the
/// same time: copy every set's rows (and their per-minute rollups), verify every set against
/// MySQL, and only then set the campaign's flag. A failure leaves the flag untouched and does not
/// stop the other campaigns; running again converges to an exact copy, whatever point the last
/// run stopped at. A set whose rows were partly or wholly purged (the purge journal says so) is
/// never rewritten: its archive is the only copy of those rows, and it is verified against what the
/// purge recorded instead (<see cref="PurgedSetVerifier"/>).
/// </summary>
public sealed class ArchiveEngine(
    IArchiveSource source,
    IRunJournal journal,
    IPurgeTarget purges,
    IDocumentStore store,
    IOptions<ArchiveOptions> options,
    ILogger<ArchiveEngine> logger,
    IArchiveCheckpoints? checkpoints = null,
    TimeProvider? timeProvider = null)
{
    private readonly ArchiveOptions _options = options.Value;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly HashSet<string> _databasesReady = new(StringComparer.Ordinal);

    public async Task<ArchiveRunResult> RunAsync(ArchiveRequest request, IArchiveProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = new RunLimit(request.MaxRuntime, _time);
        var run = new Run(this, source, journal, _options, logger, progress, new ViewRefresher(store, _options.ViewRefreshEvery, logger, progress), limit);
        var (results, stop) = await new CampaignRunner<CampaignResult, CampaignTally>(source, run)
            .RunAsync(_options.Sets, request.CampaignId, request.DryRun, limit, cancellationToken).ConfigureAwait(false);
        return new ArchiveRunResult(results, limit.Elapsed, request.DryRun, stop, request.MaxRuntime);
    }

    private static CampaignResult AlreadyArchived(CampaignInfo campaign) => new()
    {
        CampaignId = campaign.Id,
        Name = campaign.Name,
        Outcome = CampaignOutcome.Skipped,
        Reason = string.Create(CultureInfo.InvariantCulture, $"already archived at {campaign.ArchivedAt:yyyy-MM-dd HH:mm:ss} UTC"),
    };

    private async Task<CampaignResult> ArchiveCampaignAsync(
        CampaignInfo campaign, ICampaignLock campaignLock, IReadOnlyList<ArchiveSet> sets, CampaignTally tally, IArchiveProgress? progress, ViewRefresher views,
        Func<bool> stopRequested, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        if (campaign.Archived)
        {
            return AlreadyArchived(campaign);
        }

        await journal.RecordStartAsync(campaign.Id, cancellationToken).ConfigureAwait(false);

        // Read under the lock, which every purge takes too: no purge can delete more until the flag.
        var purged = await ReadPurgedAsync(campaign.Id, cancellationToken).ConfigureAwait(false);
        var flagged = purged.Count == 0 ? null : await purges.ReadArchivedSetsAsync(campaign.Id, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<VerifiedSet> flagging;
        foreach (var set in sets)
        {
            tally.ExpectedRows += await source.CountRowsAsync(set, campaign.Id, cancellationToken).ConfigureAwait(false);
        }

        progress?.CampaignStarted(campaign, tally.ExpectedRows);
        var writer = new SetWriter(source, store, _options.BatchSize, _options.MaxConcurrentBatches, views, stopRequested, checkpoints);
        var written = new Dictionary<ArchiveSet, WrittenSet>(sets.Count);
        try
        {
            foreach (var set in sets)
            {
                // Remembered only once it succeeded: a campaign that failed here (CouchDB down) must not
                // leave the database unchecked, and possibly uncreated, for the next campaigns.
                foreach (var database in new[] { set.Database, set.RollupDatabase }.Where(d => !_databasesReady.Contains(d)))
                {
                    await store.EnsureDatabaseAsync(database, cancellationToken).ConfigureAwait(false);
                    _databasesReady.Add(database);
                }

                if (!purged.ContainsKey(set.Table))
                {
                    written.Add(set, await writer.WriteAsync(set, campaign, campaignLock, tally, progress, cancellationToken).ConfigureAwait(false));
                }
            }

            if (tally.Documents.Updated > 0)
            {
                Log.DocumentsUpdated(logger, campaign.Id, tally.Documents.Updated);
            }

            progress?.Verifying(campaign);
            var verifying = Stopwatch.StartNew();
            var verifier = new SetVerifier(source, store, _options.BatchSize, logger, progress);
            var verified = new List<VerifiedSet>(sets.Count);
            foreach (var set in sets)
            {
                var result = purged.TryGetValue(set.Table, out var entry)
                    ? await new PurgedSetVerifier(source, purges, store, writer, verifier, _options.BatchSize, logger).VerifyAsync(set, campaign, entry, flagged?.GetValueOrDefault(set.Table), tally, cancellationToken).ConfigureAwait(false)
                    : await verifier.VerifyAsync(set, campaign, tally, written[set], cancellationToken).ConfigureAwait(false);
                verified.Add(result);
                tally.Checksums.Add($"{set.Table}={result.Checksum}");
            }

            tally.Verifying = verifying.Elapsed;
            checkpoints?.Reached("after-verify");

            // Before the flag: once flagged, readers are sent to the archive's views, which they read stale.
            foreach (var database in sets.SelectMany(s => new[] { s.Database, s.RollupDatabase }).Distinct(StringComparer.Ordinal))
            {
                await views.RefreshAsync(database, cancellationToken).ConfigureAwait(false);
            }

            flagging = verified;
        }
        finally
        {
            foreach (var set in written.Values)
            {
                set.Dispose();
            }
        }

        checkpoints?.Reached("before-flag");
        if (!await campaignLock.IsHeldAsync(cancellationToken).ConfigureAwait(false))
        {
            throw CampaignLockLostException.BeforeFlag(campaignLock.Name);
        }

        var flag = await source.FlagArchivedAsync(
            campaign.Id, _options.CompletedAfter, flagging, ct => EnsureArchiveUnchangedAsync(campaign, flagging, ct), cancellationToken).ConfigureAwait(false);
        checkpoints?.Reached("after-flag");
        switch (flag)
        {
            case FlagOutcome.Flagged:
                Log.CampaignArchived(logger, campaign.Id, tally.RowsRead, tally.Documents.Written, tally.Documents.Unchanged, stopwatch.Elapsed.TotalSeconds);
                await RecordAsync(campaign.Id, archived: true, null, tally.RowsRead).ConfigureAwait(false);
                return Result(campaign, CampaignOutcome.Archived, null, tally, stopwatch.Elapsed);
            case FlagOutcome.AlreadyArchived:
                return Result(campaign, CampaignOutcome.Skipped, "another run flagged it first", tally, stopwatch.Elapsed);
            case FlagOutcome.NoLongerEligible:
                var reopened = await source.GetCampaignAsync(campaign.Id, CancellationToken.None).ConfigureAwait(false) ?? campaign;
                var reason = string.Create(CultureInfo.InvariantCulture,
                    $"re-opened before the flag: it now ends at {reopened.EndsAt:yyyy-MM-dd HH:mm:ss} UTC, which is not at least Archive:CompletedAfter ({_options.CompletedAfter}) before the database's clock; not flagged, a run after it ends again completes it");
                await RecordAsync(campaign.Id, archived: false, reason, tally.RowsRead).ConfigureAwait(false);
                return Result(campaign, CampaignOutcome.Skipped, reason, tally, stopwatch.Elapsed);
            default:
                return Result(campaign, CampaignOutcome.Failed, "the campaign row disappeared before it could be flagged", tally, stopwatch.Elapsed);
        }
    }

    /// <summary>The sets of a campaign a purge has deleted rows of (the purge journal's entries with rows deleted), by table.</summary>
    private async Task<Dictionary<string, PurgeJournalEntry>> ReadPurgedAsync(long campaignId, CancellationToken cancellationToken)
    {
        var entries = await purges.ReadJournalAsync(campaignId, cancellationToken).ConfigureAwait(false);
        return entries.Values.Where(e => e.RowsDeleted > 0).ToDictionary(e => e.Table, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Runs inside the flag transaction, after its MySQL checks: the ids and revisions of every set's
    /// ranges must be the ones verification read, i.e. nothing in the archive was written, added or
    /// deleted since it was verified.
    /// </summary>
    private async Task EnsureArchiveUnchangedAsync(CampaignInfo campaign, IReadOnlyList<VerifiedSet> verified, CancellationToken cancellationToken)
    {
        foreach (var set in verified)
        {
            var now = await RevisionDigest.ReadArchiveAsync(store, set.Set, campaign.Id, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(now, set.ArchiveRevisions, StringComparison.Ordinal))
            {
                throw new ArchiveVerificationException(campaign.Id, set.Set.Table,
                    $"campaign {campaign.Id}, set {set.Set.Table}, database {set.Set.Database}: the archive changed after it was verified (a document or rollup of the campaign was written, added or deleted by someone else); not flagged, run again");
            }
        }
    }

    /// <summary>The journal only informs <c>archive status</c>: failing to write it must not turn a campaign's outcome into a different one.</summary>
    private async Task RecordInterruptedAsync(long campaignId, long rowsRead)
    {
        try
        {
            await journal.RecordInterruptedAsync(campaignId, rowsRead, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // As RecordAsync: the journal is informative, the run's outcome stands.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.JournalFailed(logger, campaignId, ex.Message);
        }
    }

    private async Task RecordAsync(long campaignId, bool archived, string? error, long rowsRead)
    {
        try
        {
            await journal.RecordOutcomeAsync(campaignId, archived, error, rowsRead, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // See summary.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.JournalFailed(logger, campaignId, ex.Message);
        }
    }

    private static CampaignResult Result(CampaignInfo campaign, CampaignOutcome outcome, string? reason, CampaignTally tally, TimeSpan elapsed) => new()
    {
        CampaignId = campaign.Id,
        Name = campaign.Name,
        Outcome = outcome,
        Reason = reason,
        RowsRead = tally.RowsRead,
        Batches = tally.Batches,
        Documents = tally.Documents,
        Rollups = tally.Rollups,
        Checksums = tally.Checksums,
        Elapsed = elapsed,
        Verifying = tally.Verifying,
    };

    /// <summary>One archive run: the steps the skeleton runs, with the run's progress, views and limit.</summary>
    private sealed class Run(
        ArchiveEngine engine, IArchiveSource source, IRunJournal journal, ArchiveOptions options, ILogger logger, IArchiveProgress? progress, ViewRefresher views, RunLimit limit)
        : ICampaignRunSteps<CampaignResult, CampaignTally>
    {
        private ArchiveOptions Options => options;

        public Task PrepareAsync(CancellationToken cancellationToken) => journal.EnsureCreatedAsync(cancellationToken);

        public Task<IReadOnlyList<CampaignInfo>> FindAsync(IReadOnlyList<ArchiveSet> sets, CancellationToken cancellationToken) =>
            source.FindCompletedCampaignsAsync(Options.CompletedAfter, cancellationToken);

        public CampaignResult? Refuse(CampaignInfo campaign)
        {
            if (campaign.Archived)
            {
                return AlreadyArchived(campaign);
            }

            return campaign.HasEndedFor(Options.CompletedAfter) ? null : new CampaignResult
            {
                CampaignId = campaign.Id,
                Name = campaign.Name,
                Outcome = CampaignOutcome.Failed,
                Reason = string.Create(CultureInfo.InvariantCulture,
                    $"not eligible: it ends at {campaign.EndsAt:yyyy-MM-dd HH:mm:ss} UTC, which is not at least Archive:CompletedAfter ({Options.CompletedAfter}) before the database's clock ({campaign.DatabaseNow:yyyy-MM-dd HH:mm:ss} UTC)"),
            };
        }

        public CampaignResult NoSuchCampaign(long campaignId) => new() { CampaignId = campaignId, Outcome = CampaignOutcome.Failed, Reason = "no such campaign" };

        public int BatchSize => Options.BatchSize;

        public string DescribePlannedSet(ArchiveSet set, long rows, int batches) => $"{rows:N0} {set.Table} rows in {batches:N0} batches to {set.Database}";

        public CampaignResult Planned(CampaignInfo campaign, CampaignPlan plan) => new()
        {
            CampaignId = campaign.Id,
            Name = campaign.Name,
            Outcome = CampaignOutcome.WouldArchive,
            RowsRead = plan.Rows,
            Batches = plan.Batches,
            Reason = $"would copy {plan.Sets} (batches of up to {BatchSize:N0}), build their per-minute rollups, verify, then flag",
        };

        public Task<CampaignResult> ProcessAsync(
            CampaignInfo campaign, ICampaignLock campaignLock, IReadOnlyList<ArchiveSet> sets, CampaignTally tally, Stopwatch stopwatch, CancellationToken cancellationToken) =>
            engine.ArchiveCampaignAsync(campaign, campaignLock, sets, tally, progress, views, () => limit.Expired, stopwatch, cancellationToken);

        public CampaignResult Ended(CampaignInfo campaign, CampaignEnd end, string? reason, CampaignTally tally, TimeSpan elapsed) => end switch
        {
            CampaignEnd.HeldElsewhere => Result(campaign, CampaignOutcome.Skipped, "another archiver is working on it (it holds the campaign's MySQL lock)", tally, elapsed) with { HeldElsewhere = true },

            // Not a failure: the journal keeps the attempt as started, which status shows as interrupted.
            CampaignEnd.Stopped => Result(campaign, CampaignOutcome.Stopped, reason, tally, elapsed),
            CampaignEnd.Cancelled => Result(campaign, CampaignOutcome.Interrupted, "interrupted before it was verified; the flag was not set and the next run continues it", tally, elapsed),
            _ => Result(campaign, CampaignOutcome.Failed, reason, tally, elapsed),
        };

        public CampaignResult Failed(CampaignInfo campaign, Exception error, string reason, CampaignTally tally, TimeSpan elapsed)
        {
            if (error is ArchiverException)
            {
                Log.CampaignFailed(logger, campaign.Id, reason);
            }
            else
            {
                Log.CampaignFailedUnexpectedly(logger, campaign.Id, error);
            }

            return Result(campaign, CampaignOutcome.Failed, reason, tally, elapsed);
        }

        public Task RecordAsync(CampaignResult result, CampaignTally tally) => result.Outcome switch
        {
            CampaignOutcome.Failed => engine.RecordAsync(result.CampaignId, archived: false, result.Reason, tally.RowsRead),
            CampaignOutcome.Interrupted => engine.RecordInterruptedAsync(result.CampaignId, tally.RowsRead),
            _ => Task.CompletedTask,
        };

        public void Finished(CampaignResult result) => progress?.CampaignFinished(result);
    }
}
