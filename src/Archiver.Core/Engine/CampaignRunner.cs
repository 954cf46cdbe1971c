using System.Diagnostics;
using Archiver.Sets;
using Archiver.Source;

namespace Archiver.Engine;

/// <summary>
/// The one campaign-run skeleton of the archive and the purge: describe every configured set against
/// its table (a mistake stops the run before anything is written), prepare Archiver's tables (never
/// for a dry run), select the campaigns (all eligible ones, or the one asked for, refused with its
/// reason), then for each, oldest first: stop before it when cancelled or past the time limit; plan
/// it (dry run) or claim its lock, read it again under the lock and process it; turn whatever ended
/// it into a result through one catch ladder, so that one campaign's failure never stops the others.
/// The time limit has one mechanism: <see cref="RunLimit"/>, checked here between campaigns and by
/// the steps between batches, which throw <see cref="RunStoppedException"/> to stop. Cancellation (Ctrl+C,
/// SIGTERM) ends the campaign in progress as <see cref="CampaignEnd.Cancelled"/> (each engine's interrupted
/// outcome) and an open circuit breaker (<see cref="ServiceUnavailableException"/>) fails it; both stop the run.
/// </summary>
internal sealed class CampaignRunner<TResult, TTally>(IArchiveSource source, ICampaignRunSteps<TResult, TTally> steps)
    where TResult : CampaignReport
    where TTally : RunTally, new()
{
    public async Task<(IReadOnlyList<TResult> Results, RunStopReason Stop)> RunAsync(
        IEnumerable<ArchiveSetOptions> configured, long? campaignId, bool dryRun, RunLimit limit, CancellationToken cancellationToken)
    {
        var results = new List<TResult>();
        IReadOnlyList<ArchiveSet> sets;
        IReadOnlyList<CampaignInfo> campaigns;
        try
        {
            sets = await DescribeSetsAsync(configured, cancellationToken).ConfigureAwait(false);

            // A dry run must not even create Archiver's tables: it writes nothing to either database.
            if (!dryRun)
            {
                await steps.PrepareAsync(cancellationToken).ConfigureAwait(false);
            }

            campaigns = await SelectAsync(sets, campaignId, results, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (results, RunStopReason.Cancelled);
        }

        foreach (var refused in results)
        {
            steps.Finished(refused);
        }

        var stop = RunStopReason.Completed;
        foreach (var campaign in campaigns)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                stop = RunStopReason.Cancelled;
                break;
            }

            if (limit.Expired)
            {
                stop = RunStopReason.TimeLimit;
                break;
            }

            var stopwatch = Stopwatch.StartNew();
            var tally = new TTally();
            TResult result;
            try
            {
                result = dryRun
                    ? steps.Planned(campaign, await PlanAsync(campaign, sets, cancellationToken).ConfigureAwait(false))
                    : await ProcessUnderLockAsync(campaign, sets, tally, stopwatch, cancellationToken).ConfigureAwait(false);
            }
            catch (RunStoppedException ex)
            {
                // Not a failure: the next run carries on from where this one stopped.
                result = steps.Ended(campaign, CampaignEnd.Stopped, ex.Message, tally, stopwatch.Elapsed);
                stop = RunStopReason.TimeLimit;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                result = steps.Ended(campaign, CampaignEnd.Cancelled, null, tally, stopwatch.Elapsed);
                stop = RunStopReason.Cancelled;
            }
            catch (ServiceUnavailableException ex)
            {
                // The server's circuit breaker is open: every remaining campaign would fail at once, so the run stops here.
                result = steps.Failed(campaign, ex, ex.Message, tally, stopwatch.Elapsed);
                stop = RunStopReason.ServiceUnavailable;
            }
#pragma warning disable CA1031 // One campaign's failure, whatever it is, is reported with its campaign and must not stop the others.
            catch (Exception ex) when (ex is not ArchiverConfigurationException)
#pragma warning restore CA1031
            {
                var reason = ex is ArchiverException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
                result = steps.Failed(campaign, ex, reason, tally, stopwatch.Elapsed);
            }

            if (!dryRun)
            {
                await steps.RecordAsync(result, tally).ConfigureAwait(false);
            }

            results.Add(result);
            steps.Finished(result);
            if (stop != RunStopReason.Completed)
            {
                break;
            }
        }

        return (results, stop);
    }

    /// <summary>The rows and batches a dry run reports per set, from the (campaign, key) index alone.</summary>
    private async Task<CampaignPlan> PlanAsync(CampaignInfo campaign, IReadOnlyList<ArchiveSet> sets, CancellationToken cancellationToken)
    {
        long rows = 0;
        var batches = 0;
        var parts = new List<string>(sets.Count);
        foreach (var set in sets)
        {
            var count = await source.CountRowsAsync(set, campaign.Id, cancellationToken).ConfigureAwait(false);
            var setBatches = (int)((count + steps.BatchSize - 1) / steps.BatchSize);
            rows += count;
            batches += setBatches;
            parts.Add(steps.DescribePlannedSet(set, count, setBatches));
        }

        return new CampaignPlan(rows, batches, string.Join(", ", parts));
    }

    private async Task<IReadOnlyList<ArchiveSet>> DescribeSetsAsync(IEnumerable<ArchiveSetOptions> configured, CancellationToken cancellationToken)
    {
        var sets = new List<ArchiveSet>();
        foreach (var set in configured)
        {
            sets.Add(await source.DescribeAsync(set, cancellationToken).ConfigureAwait(false));
        }

        return sets;
    }

    private async Task<IReadOnlyList<CampaignInfo>> SelectAsync(IReadOnlyList<ArchiveSet> sets, long? campaignId, List<TResult> results, CancellationToken cancellationToken)
    {
        if (campaignId is not { } id)
        {
            return await steps.FindAsync(sets, cancellationToken).ConfigureAwait(false);
        }

        var campaign = await source.GetCampaignAsync(id, cancellationToken).ConfigureAwait(false);
        var refused = campaign is null ? steps.NoSuchCampaign(id) : steps.Refuse(campaign);
        if (refused is not null)
        {
            results.Add(refused);
            return [];
        }

        return [campaign!];
    }

    /// <summary>Claims the campaign (another process holding it skips it) and reads it again under the lock: it may have changed since the selection.</summary>
    private async Task<TResult> ProcessUnderLockAsync(CampaignInfo selected, IReadOnlyList<ArchiveSet> sets, TTally tally, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        var campaignLock = await source.TryLockCampaignAsync(selected.Id, cancellationToken).ConfigureAwait(false);
        if (campaignLock is null)
        {
            return steps.Ended(selected, CampaignEnd.HeldElsewhere, null, tally, stopwatch.Elapsed);
        }

        await using (campaignLock.ConfigureAwait(false))
        {
            var campaign = await source.GetCampaignAsync(selected.Id, cancellationToken).ConfigureAwait(false);
            if (campaign is null)
            {
                return steps.Ended(selected, CampaignEnd.Failed, "the campaign row disappeared", tally, stopwatch.Elapsed);
            }

            return await steps.ProcessAsync(campaign, campaignLock, sets, tally, stopwatch, cancellationToken).ConfigureAwait(false);
        }
    }
}
