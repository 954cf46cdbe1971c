namespace Archiver.Queries;

/// <summary>A query named a campaign that has no row in <c>campaigns</c>.</summary>
public sealed class CampaignNotFoundException(long campaignId)
    : ArchiverException($"campaign {campaignId} does not exist (no row in campaigns)")
{
    public long CampaignId { get; } = campaignId;
}
