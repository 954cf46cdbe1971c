using Microsoft.Extensions.Logging;

namespace Archiver;

/// <summary>Source-generated log messages of the engine; event ids 1000–1999.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Campaign {CampaignId} archived: {Rows} rows, {Written} documents written, {Unchanged} unchanged, {Seconds:F1} s")]
    public static partial void CampaignArchived(ILogger logger, long campaignId, long rows, long written, long unchanged, double seconds);

    [LoggerMessage(1001, LogLevel.Warning, "Campaign {CampaignId} not archived: {Reason}")]
    public static partial void CampaignFailed(ILogger logger, long campaignId, string reason);

    [LoggerMessage(1003, LogLevel.Error, "Campaign {CampaignId} not archived: unexpected error")]
    public static partial void CampaignFailedUnexpectedly(ILogger logger, long campaignId, Exception exception);

    [LoggerMessage(1002, LogLevel.Warning, "Campaign {CampaignId}: {Count} archived documents differed from their rows and were overwritten")]
    public static partial void DocumentsUpdated(ILogger logger, long campaignId, long count);

    [LoggerMessage(1004, LogLevel.Warning, "Campaign {CampaignId}: could not record the attempt in the run journal: {Reason}")]
    public static partial void JournalFailed(ILogger logger, long campaignId, string reason);

    [LoggerMessage(1005, LogLevel.Information, "Views of {Database} refreshed: {Views} views brought up to date in {Seconds:F1} s")]
    public static partial void ViewsRefreshed(ILogger logger, string database, int views, double seconds);

    [LoggerMessage(1006, LogLevel.Information, "Campaign {CampaignId}, set {Table}: revisions did not prove the archive ({Reason}); comparing every document with its row")]
    public static partial void VerifyingDocuments(ILogger logger, long campaignId, string table, string reason);

    [LoggerMessage(1007, LogLevel.Information, "Campaign {CampaignId}, set {Table}: {Purged} rows were purged; their documents are the only copy and are verified against the purge journal, never rewritten")]
    public static partial void VerifyingPurgedSet(ILogger logger, long campaignId, string table, long purged);

    [LoggerMessage(1104, LogLevel.Information, "Campaign {CampaignId}, set {Table}: revisions did not prove the archive for the purge ({Reason}); comparing every document with its row")]
    public static partial void PurgeVerifyingDocuments(ILogger logger, long campaignId, string table, string reason);

    [LoggerMessage(1100, LogLevel.Information, "Campaign {CampaignId} purged: {Rows} rows deleted in {Batches} batches, verifying {VerifySeconds:F1} s, deleting {DeleteSeconds:F1} s")]
    public static partial void CampaignPurged(ILogger logger, long campaignId, long rows, int batches, double verifySeconds, double deleteSeconds);

    [LoggerMessage(1101, LogLevel.Warning, "Campaign {CampaignId} not purged, its archive does not match: {Reason}")]
    public static partial void PurgeBlocked(ILogger logger, long campaignId, string reason);

    [LoggerMessage(1102, LogLevel.Warning, "Campaign {CampaignId} not purged: {Reason}")]
    public static partial void PurgeFailed(ILogger logger, long campaignId, string reason);

    [LoggerMessage(1103, LogLevel.Error, "Campaign {CampaignId} not purged: unexpected error")]
    public static partial void PurgeFailedUnexpectedly(ILogger logger, long campaignId, Exception exception);
}
