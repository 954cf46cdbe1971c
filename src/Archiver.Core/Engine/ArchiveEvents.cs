namespace Archiver.Engine;

/// <summary>Event ids of the archive engine's log messages (1000–1099): stable numbers to filter and alert on.</summary>
public static class ArchiveEvents
{
    public const int CampaignArchived = 1000;

    public const int CampaignFailed = 1001;

    public const int DocumentsUpdated = 1002;

    public const int CampaignFailedUnexpectedly = 1003;

    public const int JournalFailed = 1004;

    public const int ViewsRefreshed = 1005;

    public const int VerifyingDocuments = 1006;

    public const int VerifyingPurgedSet = 1007;

    public const int CampaignSharded = 1008;

    public const int DocumentsReadById = 1009;
}
