using Archiver.Source;

namespace Archiver.Web.Api;

/// <summary>
/// A campaign as the public API shows it: what it is and where it stands. The run journal's
/// attempts and last error stay with the operators (the CLI and the dashboard): an error names
/// servers, databases and documents. Times are UTC and serialised with their <c>Z</c>.
/// </summary>
public sealed record ApiCampaign(long CampaignId, string Name, string Kind, DateTime EndsAt, CampaignState State, DateTime? ArchivedAt)
{
    public static ApiCampaign From(CampaignStatus campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return new(campaign.CampaignId, campaign.Name, campaign.Kind, Utc(campaign.EndsAt), campaign.State, campaign.ArchivedAt is { } at ? Utc(at) : null);
    }

    private static DateTime Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);
}
