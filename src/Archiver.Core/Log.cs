using Archiver.Engine;
using Archiver.Purge;
using Microsoft.Extensions.Logging;

namespace Archiver;

/// <summary>
/// Source-generated log messages of Archiver.Core, one partial class kept beside the code each part
/// serves (<c>Log.Views.cs</c>, <c>Log.Queries.cs</c>); event ids 1000–1999, named per area
/// (<see cref="ArchiveEvents"/>, <see cref="PurgeEvents"/>, <c>ViewEvents</c>, <c>QueryEvents</c>).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(ArchiveEvents.CampaignArchived, LogLevel.Information, "Campaign {CampaignId} archived: {Rows} rows, {Written} documents written, {Unchanged} unchanged, {Seconds:F1} s")]
    public static partial void CampaignArchived(ILogger logger, long campaignId, long rows, long written, long unchanged, double seconds);

    [LoggerMessage(ArchiveEvents.CampaignFailed, LogLevel.Warning, "Campaign {CampaignId} not archived: {Reason}")]
    public static partial void CampaignFailed(ILogger logger, long campaignId, string reason);

    [LoggerMessage(ArchiveEvents.CampaignFailedUnexpectedly, LogLevel.Error, "Campaign {CampaignId} not archived: unexpected error")]
    public static partial void CampaignFailedUnexpectedly(ILogger logger, long campaignId, Exception exception);

    [LoggerMessage(ArchiveEvents.DocumentsUpdated, LogLevel.Warning, "Campaign {CampaignId}: {Count} archived documents differed from their rows and were overwritten")]
    public static partial void DocumentsUpdated(ILogger logger, long campaignId, long count);

    [LoggerMessage(ArchiveEvents.JournalFailed, LogLevel.Warning, "Campaign {CampaignId}: could not record the attempt in the run journal: {Reason}")]
    public static partial void JournalFailed(ILogger logger, long campaignId, string reason);

    [LoggerMessage(ArchiveEvents.ViewsRefreshed, LogLevel.Information, "Views of {Database} refreshed: {Views} views brought up to date in {Seconds:F1} s")]
    public static partial void ViewsRefreshed(ILogger logger, string database, int views, double seconds);

    [LoggerMessage(ArchiveEvents.VerifyingDocuments, LogLevel.Information, "Campaign {CampaignId}, set {Table}: revisions did not prove the archive ({Reason}); comparing every document with its row")]
    public static partial void VerifyingDocuments(ILogger logger, long campaignId, string table, string reason);

    [LoggerMessage(ArchiveEvents.CampaignSharded, LogLevel.Information, "Campaign {CampaignId}: {Shards} shards (Archive:ShardRows), {Pending} to copy")]
    public static partial void CampaignSharded(ILogger logger, long campaignId, int shards, int pending);

    [LoggerMessage(ArchiveEvents.DocumentsReadById, LogLevel.Information,
        "Campaign {CampaignId}, set {Table}: {Count} documents the ranges of _all_docs did not list were found by id (a cluster's copy behind the write quorum), e.g. {FirstId}")]
    public static partial void DocumentsReadById(ILogger logger, long campaignId, string table, int count, string firstId);

    [LoggerMessage(ArchiveEvents.VerifyingPurgedSet, LogLevel.Information, "Campaign {CampaignId}, set {Table}: {Purged} rows were purged; their documents are the only copy and are verified against the purge journal, never rewritten")]
    public static partial void VerifyingPurgedSet(ILogger logger, long campaignId, string table, long purged);

    [LoggerMessage(PurgeEvents.PurgeVerifyingDocuments, LogLevel.Information, "Campaign {CampaignId}, set {Table}: revisions did not prove the archive for the purge ({Reason}); comparing every document with its row")]
    public static partial void PurgeVerifyingDocuments(ILogger logger, long campaignId, string table, string reason);

    [LoggerMessage(PurgeEvents.PurgeVerifyingChunkDocuments, LogLevel.Information, "Campaign {CampaignId}, set {Table}, {Chunk}: the flag's record did not prove it ({Reason}); comparing each of its rows with its document")]
    public static partial void PurgeVerifyingChunkDocuments(ILogger logger, long campaignId, string table, string chunk, string reason);

    [LoggerMessage(PurgeEvents.CampaignPurged, LogLevel.Information, "Campaign {CampaignId} purged: {Rows} rows deleted in {Batches} batches, verifying {VerifySeconds:F1} s, deleting {DeleteSeconds:F1} s")]
    public static partial void CampaignPurged(ILogger logger, long campaignId, long rows, int batches, double verifySeconds, double deleteSeconds);

    [LoggerMessage(PurgeEvents.PurgeBlocked, LogLevel.Warning, "Campaign {CampaignId} not purged, its archive does not match: {Reason}")]
    public static partial void PurgeBlocked(ILogger logger, long campaignId, string reason);

    [LoggerMessage(PurgeEvents.PurgeFailed, LogLevel.Warning, "Campaign {CampaignId} not purged: {Reason}")]
    public static partial void PurgeFailed(ILogger logger, long campaignId, string reason);

    [LoggerMessage(PurgeEvents.PurgeFailedUnexpectedly, LogLevel.Error, "Campaign {CampaignId} not purged: unexpected error")]
    public static partial void PurgeFailedUnexpectedly(ILogger logger, long campaignId, Exception exception);
}
