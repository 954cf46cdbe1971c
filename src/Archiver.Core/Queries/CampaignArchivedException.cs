namespace Archiver.Queries;

/// <summary>
/// The live store found the campaign's <c>archived</c> flag set: the archive answers for it now.
/// the delegate (<c>CampaignQueries</c>) catches it and asks the archive; it escapes only from a live store used alone.
/// </summary>
public sealed class CampaignArchivedException(long campaignId)
    : ArchiverException($"campaign {campaignId} is archived: read it from the CouchDB archive")
{
    public long CampaignId { get; } = campaignId;
}
