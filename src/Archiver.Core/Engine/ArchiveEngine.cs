using System.Diagnostics;
using System.Globalization;
using Archiver.Documents;
using Archiver.Options;
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
/// run stopped at.
/// </summary>
public sealed class ArchiveEngine(
    IArchiveSource source,
    IRunJournal journal,
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
        var started = Stopwatch.GetTimestamp();
        var results = new List<CampaignResult>();
        var cancelled = false;
        var timeLimitReached = false;
        var clock = _time.GetTimestamp();
        bool StopRequested() => request.MaxRuntime is { } limit && _time.GetElapsedTime(clock) >= limit;
        var views = new ViewRefresher(store, _options.ViewRefreshEvery, logger, progress);

        IReadOnlyList<ArchiveSet> sets;
        IReadOnlyList<CampaignInfo> campaigns;
        try
        {
            // Every set is checked against its table before anything is written: a configuration
            // mistake stops the run here, naming the table and column.
            sets = await DescribeSetsAsync(cancellationToken).ConfigureAwait(false);
            if (!request.DryRun)
            {
                await journal.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            }

            campaigns = await SelectCampaignsAsync(request, results, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new ArchiveRunResult(results, Stopwatch.GetElapsedTime(started), request.DryRun, Cancelled: true);
        }

        foreach (var refused in results)
        {
            progress?.CampaignFinished(refused);
        }

        foreach (var campaign in campaigns)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }

            if (StopRequested())
            {
                timeLimitReached = true;
                break;
            }

            var stopwatch = Stopwatch.StartNew();
            var tally = new CampaignTally();
            CampaignResult result;
            try
            {
                result = request.DryRun
                    ? await PlanCampaignAsync(campaign, sets, cancellationToken).ConfigureAwait(false)
                    : await ArchiveCampaignAsync(campaign, sets, tally, progress, views, StopRequested, stopwatch, cancellationToken).ConfigureAwait(false);
            }
            catch (RunStoppedException ex)
            {
                // Not a failure: the journal keeps the attempt as started, which status shows as interrupted.
                result = Result(campaign, CampaignOutcome.Stopped, ex.Message, tally, stopwatch);
                timeLimitReached = true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                result = Result(campaign, CampaignOutcome.Failed, "cancelled before it was verified; the flag was not set", tally, stopwatch);
                cancelled = true;
            }
#pragma warning disable CA1031 // One campaign's failure, whatever it is, is reported with its campaign and must not stop the others.
            catch (Exception ex) when (ex is not ArchiverConfigurationException)
#pragma warning restore CA1031
            {
                var reason = ex is ArchiverException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
                if (ex is ArchiverException)
                {
                    Log.CampaignFailed(logger, campaign.Id, reason);
                }
                else
                {
                    Log.CampaignFailedUnexpectedly(logger, campaign.Id, ex);
                }

                result = Result(campaign, CampaignOutcome.Failed, reason, tally, stopwatch);
            }

            if (!request.DryRun && result.Outcome == CampaignOutcome.Failed)
            {
                await RecordAsync(campaign.Id, archived: false, result.Reason, tally.RowsRead).ConfigureAwait(false);
            }

            results.Add(result);
            progress?.CampaignFinished(result);
            if (cancelled || timeLimitReached)
            {
                break;
            }
        }

        return new ArchiveRunResult(results, Stopwatch.GetElapsedTime(started), request.DryRun, cancelled, timeLimitReached ? request.MaxRuntime : null);
    }

    private async Task<IReadOnlyList<ArchiveSet>> DescribeSetsAsync(CancellationToken cancellationToken)
    {
        var sets = new List<ArchiveSet>(_options.Sets.Count);
        foreach (var set in _options.Sets)
        {
            sets.Add(await source.DescribeAsync(set, cancellationToken).ConfigureAwait(false));
        }

        return sets;
    }

    private async Task<IReadOnlyList<CampaignInfo>> SelectCampaignsAsync(ArchiveRequest request, List<CampaignResult> results, CancellationToken cancellationToken)
    {
        if (request.CampaignId is not { } id)
        {
            return await source.FindCompletedCampaignsAsync(_options.CompletedAfter, cancellationToken).ConfigureAwait(false);
        }

        var campaign = await source.GetCampaignAsync(id, cancellationToken).ConfigureAwait(false);
        if (campaign is null)
        {
            results.Add(new CampaignResult { CampaignId = id, Outcome = CampaignOutcome.Failed, Reason = "no such campaign" });
        }
        else if (campaign.Archived)
        {
            results.Add(AlreadyArchived(campaign));
        }
        else if (!campaign.HasEndedFor(_options.CompletedAfter))
        {
            results.Add(new CampaignResult
            {
                CampaignId = id,
                Name = campaign.Name,
                Outcome = CampaignOutcome.Failed,
                Reason = string.Create(CultureInfo.InvariantCulture,
                    $"not eligible: it ends at {campaign.EndsAt:yyyy-MM-dd HH:mm:ss} UTC, which is not at least Archive:CompletedAfter ({_options.CompletedAfter}) before the database's clock ({campaign.DatabaseNow:yyyy-MM-dd HH:mm:ss} UTC)"),
            });
        }
        else
        {
            return [campaign];
        }

        return [];
    }

    private static CampaignResult AlreadyArchived(CampaignInfo campaign) => new()
    {
        CampaignId = campaign.Id,
        Name = campaign.Name,
        Outcome = CampaignOutcome.Skipped,
        Reason = string.Create(CultureInfo.InvariantCulture, $"already archived at {campaign.ArchivedAt:yyyy-MM-dd HH:mm:ss} UTC"),
    };

    private async Task<CampaignResult> PlanCampaignAsync(CampaignInfo campaign, IReadOnlyList<ArchiveSet> sets, CancellationToken cancellationToken)
    {
        long rows = 0;
        var batches = 0;
        var parts = new List<string>();
        foreach (var set in sets)
        {
            var count = await source.CountRowsAsync(set, campaign.Id, cancellationToken).ConfigureAwait(false);
            var setBatches = (int)((count + _options.BatchSize - 1) / _options.BatchSize);
            rows += count;
            batches += setBatches;
            parts.Add($"{count:N0} {set.Table} rows in {setBatches:N0} batches to {set.Database}");
        }

        return new CampaignResult
        {
            CampaignId = campaign.Id,
            Name = campaign.Name,
            Outcome = CampaignOutcome.WouldArchive,
            RowsRead = rows,
            Batches = batches,
            Reason = $"would copy {string.Join(", ", parts)} (batches of up to {_options.BatchSize:N0}), build their per-minute rollups, verify, then flag",
        };
    }

    private async Task<CampaignResult> ArchiveCampaignAsync(
        CampaignInfo selected, IReadOnlyList<ArchiveSet> sets, CampaignTally tally, IArchiveProgress? progress, ViewRefresher views, Func<bool> stopRequested,
        Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        var campaignLock = await source.TryLockCampaignAsync(selected.Id, cancellationToken).ConfigureAwait(false);
        if (campaignLock is null)
        {
            return Result(selected, CampaignOutcome.Skipped, "another archiver is working on it (it holds the campaign's MySQL lock)", tally, stopwatch) with { HeldElsewhere = true };
        }

        await using (campaignLock.ConfigureAwait(false))
        {
            // Read again under the lock: another process may have finished it since the selection.
            var campaign = await source.GetCampaignAsync(selected.Id, cancellationToken).ConfigureAwait(false);
            if (campaign is null)
            {
                return Result(selected, CampaignOutcome.Failed, "the campaign row disappeared", tally, stopwatch);
            }

            if (campaign.Archived)
            {
                return AlreadyArchived(campaign);
            }

            await journal.RecordStartAsync(campaign.Id, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<VerifiedSet> flagging;
            foreach (var set in sets)
            {
                tally.ExpectedRows += await source.CountRowsAsync(set, campaign.Id, cancellationToken).ConfigureAwait(false);
            }

            progress?.CampaignStarted(campaign, tally.ExpectedRows);
            var writer = new SetWriter(source, store, _options.BatchSize, _options.MaxConcurrentBatches, views, stopRequested, checkpoints);
            var written = new List<WrittenSet>(sets.Count);
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

                    written.Add(await writer.WriteAsync(set, campaign, campaignLock, tally, progress, cancellationToken).ConfigureAwait(false));
                }

                if (tally.Documents.Updated > 0)
                {
                    Log.DocumentsUpdated(logger, campaign.Id, tally.Documents.Updated);
                }

                progress?.Verifying(campaign);
                var verifying = Stopwatch.StartNew();
                var verifier = new SetVerifier(source, store, _options.BatchSize, logger, progress);
                var verified = new List<VerifiedSet>(sets.Count);
                foreach (var set in written)
                {
                    var result = await verifier.VerifyAsync(set.Set, campaign, tally, set, cancellationToken).ConfigureAwait(false);
                    verified.Add(result);
                    tally.Checksums.Add($"{set.Set.Table}={result.Checksum}");
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
                foreach (var set in written)
                {
                    set.Dispose();
                }
            }

            if (!await campaignLock.IsHeldAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new ArchiverException(LockLostMessage(campaignLock));
            }

            var flag = await source.FlagArchivedAsync(campaign.Id, flagging, cancellationToken).ConfigureAwait(false);
            checkpoints?.Reached("after-flag");
            switch (flag)
            {
                case FlagOutcome.Flagged:
                    Log.CampaignArchived(logger, campaign.Id, tally.RowsRead, tally.Documents.Written, tally.Documents.Unchanged, stopwatch.Elapsed.TotalSeconds);
                    await RecordAsync(campaign.Id, archived: true, null, tally.RowsRead).ConfigureAwait(false);
                    return Result(campaign, CampaignOutcome.Archived, null, tally, stopwatch);
                case FlagOutcome.AlreadyArchived:
                    return Result(campaign, CampaignOutcome.Skipped, "another run flagged it first", tally, stopwatch);
                default:
                    return Result(campaign, CampaignOutcome.Failed, "the campaign row disappeared before it could be flagged", tally, stopwatch);
            }
        }
    }

    internal static string LockLostMessage(ICampaignLock campaignLock) =>
        $"lost the campaign's MySQL lock {campaignLock.Name} (its connection dropped) before the flag; not flagged, run again";

    /// <summary>The journal only informs <c>archive status</c>: failing to write it must not turn a campaign's outcome into a different one.</summary>
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

    private static CampaignResult Result(CampaignInfo campaign, CampaignOutcome outcome, string? reason, CampaignTally tally, Stopwatch stopwatch) => new()
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
        Elapsed = stopwatch.Elapsed,
        Verifying = tally.Verifying,
    };
}
