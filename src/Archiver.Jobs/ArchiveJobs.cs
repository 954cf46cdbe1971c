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
/// A campaign above <c>Archive:ShardRows</c> is shared further: its <c>archive-campaign</c> job plans
/// the shards and enqueues one <c>archive-shard</c> job per pending shard (any worker takes them); the
/// shard job that finds every shard verified enqueues <c>archive-campaign</c> again, which then
/// verifies the whole campaign and flags it. A lost shard job is enqueued again by the next night's
/// fan-out, since the campaign is still unflagged.
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
        var run = await engine.RunAsync(new ArchiveRequest(campaignId) { DispatchShards = true }, progress: null, cancellationToken).ConfigureAwait(false);
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
        if (result.PendingShards.Count > 0)
        {
            foreach (var shard in result.PendingShards)
            {
                var (table, number) = (shard.Table, shard.Number);
                client.Enqueue<ArchiveJobs>(JobNames.ArchiveQueue, jobs => jobs.ArchiveShardAsync(campaignId, table, number, CancellationToken.None));
            }

            Log.ShardsEnqueued(logger, campaignId, result.PendingShards.Count);
            return $"{result.Label}: {result.Reason}; {result.PendingShards.Count} archive-shard job(s) enqueued on queue {JobNames.ArchiveQueue}";
        }

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

    /// <summary>
    /// Copies and verifies one shard of a sharded campaign. The job that finds every shard verified
    /// enqueues the campaign's <c>archive-campaign</c> job, its final step. A shard another worker is
    /// copying throws, so that Hangfire retries it later (and then finds it verified).
    /// </summary>
    [DisplayName(JobNames.ArchiveShard + " {0} {1}#{2}")]
    public async Task<string> ArchiveShardAsync(long campaignId, string table, int shard, CancellationToken cancellationToken)
    {
        var result = await engine.RunShardAsync(campaignId, table, shard, cancellationToken).ConfigureAwait(false);
        Log.ShardDone(logger, campaignId, $"{table}#{shard}", result.Outcome, result.RowsRead, result.AllVerified);
        if (result.Outcome == ShardOutcome.HeldElsewhere)
        {
            throw new ArchiveJobException($"campaign {campaignId}: shard {table}#{shard} is being copied by another archiver; retried later");
        }

        if (result.Outcome != ShardOutcome.CampaignArchived && result.AllVerified)
        {
            client.Enqueue<ArchiveJobs>(JobNames.ArchiveQueue, jobs => jobs.ArchiveCampaignAsync(campaignId, CancellationToken.None));
            return $"campaign {campaignId}: shard {table}#{shard} {result.Outcome}: {result.RowsRead} rows; every shard verified, archive-campaign enqueued for the final step";
        }

        return $"campaign {campaignId}: shard {table}#{shard} {result.Outcome}: {result.RowsRead} rows, {result.Documents.Written} documents written";
    }
}
