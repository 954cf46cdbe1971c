namespace Archiver;

/// <summary>The archive of a campaign does not match its rows; the campaign is not flagged.</summary>
public sealed class ArchiveVerificationException(long campaignId, string table, string difference)
    : ArchiverException($"verification of {table} failed: {difference}")
{
    public long CampaignId { get; } = campaignId;

    public string Table { get; } = table;
}
