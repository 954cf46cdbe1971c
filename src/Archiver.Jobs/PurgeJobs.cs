using System.ComponentModel;
using Archiver.Diagnostics;
using Archiver.Purge;
using Microsoft.Extensions.Logging;

namespace Archiver.Jobs;

/// <summary>The <c>purge-archived-campaigns</c> job: the purge engine, with the job's cancellation token.</summary>
public sealed class PurgeJobs(PurgeEngine engine, ILogger<PurgeJobs> logger)
{
    /// <summary>Purges every archived campaign (archived at least <paramref name="olderThan"/> ago when set); throws naming every campaign that was blocked or failed.</summary>
    [DisplayName(JobNames.PurgeArchivedCampaigns)]
    public async Task<string> PurgeArchivedCampaignsAsync(TimeSpan? olderThan, CancellationToken cancellationToken)
    {
        var run = await engine.RunAsync(new PurgeRequest(OlderThan: olderThan), progress: null, cancellationToken).ConfigureAwait(false);
        foreach (var campaign in run.Campaigns)
        {
            ArchiverMeter.Record(campaign);
        }

        if (run.Cancelled)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new OperationCanceledException("the purge was cancelled between batches");
        }

        var problems = run.Campaigns.Where(c => c.Outcome is PurgeOutcome.Blocked or PurgeOutcome.Failed).ToList();
        if (problems.Count > 0)
        {
            throw new ArchiveJobException(string.Join("; ", problems.Select(c => $"{c.Label} not purged ({c.Outcome}): {c.Reason}")));
        }

        Log.Purged(logger, run.Purged, run.RowsDeleted);
        return $"{run.Purged} campaign(s) purged, {run.RowsDeleted} rows deleted";
    }
}
