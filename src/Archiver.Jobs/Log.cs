using Microsoft.Extensions.Logging;

namespace Archiver.Jobs;

/// <summary>Source-generated log messages of the jobs and the worker; event ids 7000–7999.</summary>
internal static partial class Log
{
    [LoggerMessage(7000, LogLevel.Information, "Enqueued {Count} campaign(s) for archiving")]
    public static partial void CampaignsEnqueued(ILogger logger, int count);

    [LoggerMessage(7001, LogLevel.Information, "Campaign {CampaignId} archived ({Rows} rows)")]
    public static partial void CampaignArchived(ILogger logger, long campaignId, long rows);

    [LoggerMessage(7002, LogLevel.Information, "Campaign {CampaignId} skipped: {Reason}")]
    public static partial void CampaignSkipped(ILogger logger, long campaignId, string reason);

    [LoggerMessage(7003, LogLevel.Information, "Purged {Campaigns} campaign(s), {Rows} rows")]
    public static partial void Purged(ILogger logger, int campaigns, long rows);

    [LoggerMessage(7004, LogLevel.Information, "Recurring job {Id} ({Job}, cron '{Cron}' {TimeZone}, queue {Queue}) added or updated from {File}")]
    public static partial void ScheduleApplied(ILogger logger, string id, string job, string cron, string timeZone, string queue, string file);

    [LoggerMessage(7005, LogLevel.Information, "Recurring job {Id} removed: its file is gone or disabled")]
    public static partial void ScheduleRemoved(ILogger logger, string id);

    [LoggerMessage(7006, LogLevel.Information, "Worker started: {Workers} workers on queues {Queues}, storage {Storage}")]
    public static partial void WorkerStarted(ILogger logger, int workers, string queues, string storage);

    [LoggerMessage(7007, LogLevel.Information, "{Server} answers")]
    public static partial void ServerReady(ILogger logger, string server);
}
