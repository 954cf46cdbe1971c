namespace Archiver.Purge;

/// <summary>Event ids of the purge's log messages (1100–1199): stable numbers to filter and alert on.</summary>
public static class PurgeEvents
{
    public const int CampaignPurged = 1100;

    public const int PurgeBlocked = 1101;

    public const int PurgeFailed = 1102;

    public const int PurgeFailedUnexpectedly = 1103;

    public const int PurgeVerifyingDocuments = 1104;

    public const int PurgeVerifyingChunkDocuments = 1105;
}
