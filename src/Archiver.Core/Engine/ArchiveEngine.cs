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
    TimeProvider? timeProvider = null,
    IShardJournal? shards = null)
{
    private readonly ArchiveOptions _options = options.Value;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly HashSet<string> _databasesReady = new(StringComparer.Ordinal);

    public async Task<ArchiveRunResult> RunAsync(ArchiveRequest request, IArchiveProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = new RunLimit(request.MaxRuntime, _time);
        if (request.Parallel < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Parallel, "Parallel must be at least 1.");
        }

        var run = new Run(this, source, journal, _options, logger, progress, new ViewRefresher(store, _options.ViewRefreshEvery, logger, progress), limit, request);
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
        Func<bool> stopRequested, Stopwatch stopwatch, ArchiveRequest request, CancellationToken cancellationToken)
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
        var biggest = 0L;
        foreach (var set in sets)
        {
            var rows = await source.CountRowsAsync(set, campaign.Id, cancellationToken).ConfigureAwait(false);
            tally.ExpectedRows += rows;
            biggest = Math.Max(biggest, rows);
        }

        progress?.CampaignStarted(campaign, tally.ExpectedRows);
        var writer = new SetWriter(source, store, _options.BatchSize, _options.MaxConcurrentBatches, views, stopRequested, checkpoints);
        if (purged.Count == 0 && shards is not null && _options.ShardRows > 0
            && (biggest > _options.ShardRows || (await shards.ReadAsync(campaign.Id, cancellationToken).ConfigureAwait(false)).Count > 0))
        {
            // A partly purged campaign is never sharded: its verification is the purge journal's (below).
            var (verifiedShards, ended) = await ArchiveShardedAsync(campaign, sets, tally, progress, views, writer, stopRequested, stopwatch, request, cancellationToken).ConfigureAwait(false);
            if (ended is not null)
            {
                return ended;
            }

            flagging = verifiedShards!;
        }
        else
        {
            flagging = await ArchiveUnshardedAsync(campaign, campaignLock, sets, tally, progress, views, writer, purged, flagged, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Copies every set of a campaign in one stream each (a partly purged set is not rewritten), then verifies them for the flag.</summary>
    private async Task<IReadOnlyList<VerifiedSet>> ArchiveUnshardedAsync(
        CampaignInfo campaign, ICampaignLock campaignLock, IReadOnlyList<ArchiveSet> sets, CampaignTally tally, IArchiveProgress? progress, ViewRefresher views, SetWriter writer,
        Dictionary<string, PurgeJournalEntry> purged, IReadOnlyDictionary<string, ArchivedSetRecord>? flagged, CancellationToken cancellationToken)
    {
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

            var verifier = new SetVerifier(source, store, _options.BatchSize, logger, progress);
            return await VerifySetsAsync(campaign, sets, tally, progress, views, set => purged.TryGetValue(set.Table, out var entry)
                ? new PurgedSetVerifier(source, purges, store, writer, verifier, _options.BatchSize, logger).VerifyAsync(set, campaign, entry, flagged?.GetValueOrDefault(set.Table), tally, cancellationToken)
                : verifier.VerifyAsync(set, campaign, tally, written[set], cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var set in written.Values)
            {
                set.Dispose();
            }
        }
    }

    /// <summary>
    /// A campaign bigger than <c>Archive:ShardRows</c> (<see cref="ShardedCampaign"/>): plans its shards,
    /// copies the pending ones here or leaves them to jobs, and once all are verified verifies the
    /// whole campaign for the flag. Returns the sets to flag, or the campaign's result when it ends here.
    /// </summary>
    private async Task<(IReadOnlyList<VerifiedSet>? Verified, CampaignResult? Ended)> ArchiveShardedAsync(
        CampaignInfo campaign, IReadOnlyList<ArchiveSet> sets, CampaignTally tally, IArchiveProgress? progress, ViewRefresher views, SetWriter writer,
        Func<bool> stopRequested, Stopwatch stopwatch, ArchiveRequest request, CancellationToken cancellationToken)
    {
        foreach (var database in sets.SelectMany(s => new[] { s.Database, s.RollupDatabase }).Where(d => !_databasesReady.Contains(d)).Distinct(StringComparer.Ordinal).ToList())
        {
            await store.EnsureDatabaseAsync(database, cancellationToken).ConfigureAwait(false);
            _databasesReady.Add(database);
        }

        var sharded = new ShardedCampaign(source, shards!, store, _options, logger, progress, checkpoints);
        var plan = await sharded.PlanAsync(campaign, sets, cancellationToken).ConfigureAwait(false);
        var pending = plan.Where(s => !s.Verified).ToList();
        Log.CampaignSharded(logger, campaign.Id, plan.Count, pending.Count);
        if (pending.Count > 0 && request.DispatchShards)
        {
            return (null, Result(campaign, CampaignOutcome.Skipped, $"split into {plan.Count} shards, {pending.Count} to copy: left to archive-shard jobs", tally, stopwatch.Elapsed) with { PendingShards = pending });
        }

        var heldElsewhere = pending.Count == 0 ? []
            : await sharded.RunAsync(campaign, sets, pending, request.Parallel, tally, stopRequested, cancellationToken).ConfigureAwait(false);
        checkpoints?.Reached("after-shards");
        if (heldElsewhere.Count > 0)
        {
            return (null, Result(campaign, CampaignOutcome.Skipped,
                $"shard {heldElsewhere[0].Name}{(heldElsewhere.Count > 1 ? $" and {heldElsewhere.Count - 1} more" : "")} is being copied by another archiver (it holds the shard's MySQL lock)", tally, stopwatch.Elapsed) with { HeldElsewhere = true });
        }

        plan = await shards!.ReadAsync(campaign.Id, cancellationToken).ConfigureAwait(false);
        if (plan.FirstOrDefault(s => !s.Verified) is { } unverified)
        {
            // Reset by a final step of another process since: the next run copies it again.
            throw new ArchiveVerificationException(campaign.Id, unverified.Table, $"campaign {campaign.Id}: shard {unverified.Name} is not verified; not flagged, run again");
        }

        var verifier = new SetVerifier(source, store, _options.BatchSize, logger, progress);
        var verified = await VerifySetsAsync(campaign, sets, tally, progress, views, set => sharded.VerifyAsync(
            set, campaign, plan.Where(s => string.Equals(s.Table, set.Table, StringComparison.Ordinal)).OrderBy(s => s.Number).ToList(), writer, verifier, tally, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return (verified, null);
    }

    /// <summary>Verifies every set in turn (each by <paramref name="verify"/>), then refreshes the views: what every campaign does before its flag.</summary>
    private async Task<IReadOnlyList<VerifiedSet>> VerifySetsAsync(
        CampaignInfo campaign, IReadOnlyList<ArchiveSet> sets, CampaignTally tally, IArchiveProgress? progress, ViewRefresher views, Func<ArchiveSet, Task<VerifiedSet>> verify,
        CancellationToken cancellationToken)
    {
        progress?.Verifying(campaign);
        var verifying = Stopwatch.StartNew();
        var verified = new List<VerifiedSet>(sets.Count);
        foreach (var set in sets)
        {
            var result = await verify(set).ConfigureAwait(false);
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

        return verified;
    }

    /// <summary>
    /// Copies and verifies one shard of a sharded campaign (the <c>archive-shard</c> job), without the
    /// campaign's lock: under the shard's own. Whether every shard of the campaign is verified now is in
    /// the result, for the job to start the campaign's final step.
    /// </summary>
    public async Task<ShardRunResult> RunShardAsync(long campaignId, string table, int shard, CancellationToken cancellationToken = default)
    {
        var shardJournal = shards ?? throw new InvalidOperationException("no shard journal is configured");
        await journal.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var campaign = await source.GetCampaignAsync(campaignId, cancellationToken).ConfigureAwait(false)
            ?? throw new ArchiverException($"campaign {campaignId}: no such campaign");
        if (campaign.Archived)
        {
            return new ShardRunResult(ShardOutcome.CampaignArchived, true, 0, default);
        }

        if (!campaign.HasEndedFor(_options.CompletedAfter))
        {
            throw new ArchiverException($"campaign {campaignId}: not eligible (it ends at {campaign.EndsAt:yyyy-MM-dd HH:mm:ss} UTC); shard {table}#{shard} not copied");
        }

        var configured = _options.Sets.FirstOrDefault(s => string.Equals(s.Table, table, StringComparison.Ordinal))
            ?? throw new ArchiverConfigurationException($"shard {table}#{shard} of campaign {campaignId}: no archive set (Archive:Sets) has table {table}");
        var set = await source.DescribeAsync(configured, cancellationToken).ConfigureAwait(false);
        var record = (await shardJournal.ReadAsync(campaignId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Table == table && s.Number == shard)
            ?? throw new ArchiverException($"campaign {campaignId}: shard {table}#{shard} is not in its plan (archiver_campaign_shards)");
        if (!_databasesReady.Contains(set.Database))
        {
            await store.EnsureDatabaseAsync(set.Database, cancellationToken).ConfigureAwait(false);
            _databasesReady.Add(set.Database);
        }

        var tally = new CampaignTally();
        var outcome = await new ShardRunner(source, shardJournal, store, _options, logger, checkpoints).RunAsync(set, campaign, record, tally, () => false, cancellationToken).ConfigureAwait(false);
        var all = (await shardJournal.ReadAsync(campaignId, cancellationToken).ConfigureAwait(false)).All(s => s.Verified);
        return new ShardRunResult(outcome, all, tally.RowsRead, tally.Documents);
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
    /// deleted since it was verified. Returns, by table, the digests of the row documents' chunks the same
    /// read gives (see <see cref="Purge.ArchivedChunk"/>), which the flag records for the purge.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> EnsureArchiveUnchangedAsync(
        CampaignInfo campaign, IReadOnlyList<VerifiedSet> verified, CancellationToken cancellationToken)
    {
        var chunks = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var set in verified)
        {
            if (set.ArchiveReadById.Count > 0)
            {
                Log.DocumentsReadById(logger, campaign.Id, set.Set.Table, set.ArchiveReadById.Count, set.ArchiveReadById[0]);
            }

            var digests = new List<string>();
            var now = await RevisionDigest.ReadArchiveAsync(store, set.Set, campaign.Id, set.ArchiveReadById, digests, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(now, set.ArchiveRevisions, StringComparison.Ordinal))
            {
                throw new ArchiveVerificationException(campaign.Id, set.Set.Table,
                    $"campaign {campaign.Id}, set {set.Set.Table}, database {set.Set.Database}: the archive changed after it was verified (a document or rollup of the campaign was written, added or deleted by someone else); not flagged, run again");
            }

            chunks[set.Set.Table] = digests;
        }

        return chunks;
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
        BytesWritten = tally.BytesWritten,
        Checksums = tally.Checksums,
        Elapsed = elapsed,
        Verifying = tally.Verifying,
    };

    /// <summary>One archive run: the steps the skeleton runs, with the run's progress, views and limit.</summary>
    private sealed class Run(
        ArchiveEngine engine, IArchiveSource source, IRunJournal journal, ArchiveOptions options, ILogger logger, IArchiveProgress? progress, ViewRefresher views, RunLimit limit,
        ArchiveRequest request)
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
            engine.ArchiveCampaignAsync(campaign, campaignLock, sets, tally, progress, views, () => limit.Expired, stopwatch, request, cancellationToken);

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
