using System.ComponentModel;
using Archiver.Diagnostics;
using Archiver.Engine;
using Archiver.Options;
using Archiver.Source;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Archiver.Jobs;

/// <summary>
/// The archive's Hangfire jobs: thin, cancellable calls into the engine. The nightly job only fans
/// out, one <c>archive-campaign</c> job per eligible campaign on the <c>archive</c> queue, so that
/// every worker process takes a share; the engine's per-campaign GET_LOCK keeps two workers off one
/// campaign, and its copy-verify-flag protocol keeps a campaign exact when a worker dies in it.
/// </summary>
public sealed class ArchiveJobs(ArchiveEngine engine, IArchiveSource source, IOptions<ArchiveOptions> options, IBackgroundJobClient client, ILogger<ArchiveJobs> logger)
{
    /// <summary>Enqueues one <c>archive-campaign</c> job per eligible campaign; the number enqueued.</summary>
    [DisplayName(JobNames.ArchiveCompletedCampaigns)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task<string> ArchiveCompletedCampaignsAsync(CancellationToken cancellationToken)
    {
        var campaigns = await source.FindCompletedCampaignsAsync(options.Value.CompletedAfter, cancellationToken).ConfigureAwait(false);
        foreach (var campaign in campaigns)
        {
            var id = campaign.Id;
            client.Enqueue<ArchiveJobs>(JobNames.ArchiveQueue, jobs => jobs.ArchiveCampaignAsync(id, CancellationToken.None));
        }

        Log.CampaignsEnqueued(logger, campaigns.Count);
        return $"{campaigns.Count} campaign(s) enqueued on queue {JobNames.ArchiveQueue}";
    }

    /// <summary>
    /// Archives one campaign. A failure throws with the engine's reason, so the job's failed state
    /// carries it and Hangfire's retry policy applies; a cancellation (the worker stopping) throws
    /// too, and the job is delivered again to finish the campaign.
    /// </summary>
    [DisplayName(JobNames.ArchiveCampaign + " {0}")]
    public async Task<string> ArchiveCampaignAsync(long campaignId, CancellationToken cancellationToken)
    {
        var run = await engine.RunAsync(new ArchiveRequest(campaignId), progress: null, cancellationToken).ConfigureAwait(false);
        foreach (var campaign in run.Campaigns)
        {
            ArchiverMeter.Record(campaign);
        }

        if (run.Cancelled || run.Campaigns.Any(c => c.Outcome == CampaignOutcome.Stopped))
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new OperationCanceledException($"campaign {campaignId}: the archive stopped before the campaign was flagged");
        }

        var result = run.Campaigns.FirstOrDefault(c => c.CampaignId == campaignId)
            ?? throw new ArchiveJobException($"campaign {campaignId}: the engine reported no outcome for it");
        switch (result.Outcome)
        {
            case CampaignOutcome.Failed:
                throw new ArchiveJobException($"{result.Label} not archived: {result.Reason}");
            case CampaignOutcome.Skipped when result.HeldElsewhere:
                // Not done, only busy elsewhere (a second delivery of this job, or an `archive run`):
                // succeeding here would delete the job while the other holder may still fail, and
                // nothing would archive the campaign before the next night. Hangfire retries it later.
                throw new ArchiveJobException($"{result.Label} not archived yet: {result.Reason}; retried later");
            case CampaignOutcome.Archived:
                Log.CampaignArchived(logger, campaignId, result.RowsRead);
                return $"{result.Label} archived: {result.RowsRead} rows, {result.Documents.Written} documents written, {result.Documents.Unchanged} unchanged";
            default:
                Log.CampaignSkipped(logger, campaignId, result.Reason ?? "");
                return $"{result.Label} skipped: {result.Reason}";
        }
    }
}
