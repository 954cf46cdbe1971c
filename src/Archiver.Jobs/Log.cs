using Archiver.Engine;
using Microsoft.Extensions.Logging;

namespace Archiver.Jobs;

/// <summary>Source-generated log messages of the jobs and the worker; event ids 7000–7999.</summary>
internal static partial class Log
{
    [LoggerMessage(JobEvents.CampaignsEnqueued, LogLevel.Information, "Enqueued {Count} campaign(s) for archiving")]
    public static partial void CampaignsEnqueued(ILogger logger, int count);

    [LoggerMessage(JobEvents.CampaignArchived, LogLevel.Information, "Campaign {CampaignId} archived ({Rows} rows)")]
    public static partial void CampaignArchived(ILogger logger, long campaignId, long rows);

    [LoggerMessage(JobEvents.CampaignSkipped, LogLevel.Information, "Campaign {CampaignId} skipped: {Reason}")]
    public static partial void CampaignSkipped(ILogger logger, long campaignId, string reason);

    [LoggerMessage(JobEvents.Purged, LogLevel.Information, "Purged {Campaigns} campaign(s), {Rows} rows")]
    public static partial void Purged(ILogger logger, int campaigns, long rows);

    [LoggerMessage(JobEvents.ScheduleApplied, LogLevel.Information, "Recurring job {Id} ({Job}, cron '{Cron}' {TimeZone}, queue {Queue}) added or updated from {File}")]
    public static partial void ScheduleApplied(ILogger logger, string id, string job, string cron, string timeZone, string queue, string file);

    [LoggerMessage(JobEvents.ScheduleRemoved, LogLevel.Information, "Recurring job {Id} removed: its file is gone or disabled")]
    public static partial void ScheduleRemoved(ILogger logger, string id);

    [LoggerMessage(JobEvents.WorkerStarted, LogLevel.Information, "Worker started: {Workers} workers on queues {Queues}, storage {Storage}")]
    public static partial void WorkerStarted(ILogger logger, int workers, string queues, string storage);

    [LoggerMessage(JobEvents.JobStarted, LogLevel.Information, "Job {JobId} started: {Job}")]
    public static partial void JobStarted(ILogger logger, string jobId, string job);

    [LoggerMessage(JobEvents.JobEnded, LogLevel.Information, "Job {JobId} ended: {Job} in {Seconds:F1} s, {Outcome}")]
    public static partial void JobEnded(ILogger logger, string jobId, string job, double seconds, string outcome);

    [LoggerMessage(JobEvents.ShardsEnqueued, LogLevel.Information, "Campaign {CampaignId}: enqueued {Count} shard job(s)")]
    public static partial void ShardsEnqueued(ILogger logger, long campaignId, int count);

    [LoggerMessage(JobEvents.ShardDone, LogLevel.Information, "Campaign {CampaignId}: shard {Shard} {Outcome} ({Rows} rows copied); every shard verified: {AllVerified}")]
    public static partial void ShardDone(ILogger logger, long campaignId, string shard, ShardOutcome outcome, long rows, bool allVerified);

    [LoggerMessage(JobEvents.ReplicaSynced, LogLevel.Information, "Replica {Replica}: lag {Lag} campaign(s), {NewlyComplete} newly complete")]
    public static partial void ReplicaSynced(ILogger logger, string replica, int lag, int newlyComplete);

    [LoggerMessage(JobEvents.ServerReady, LogLevel.Information, "{Server} answers")]
    public static partial void ServerReady(ILogger logger, string server);
}
