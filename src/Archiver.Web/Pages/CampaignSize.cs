using Archiver.Queries;
using Archiver.Source;

namespace Archiver.Web.Pages;

/// <summary>How many rows a campaign has, through the read API: entries of a contest, votes of a vote.</summary>
internal static class CampaignSize
{
    public static bool IsVote(CampaignStatus campaign) => string.Equals(campaign.Kind, "vote", StringComparison.Ordinal);

    public static async Task<long> CountAsync(ICampaignQueries queries, CampaignStatus campaign, CancellationToken cancellationToken) => IsVote(campaign)
        ? (await queries.VoteTotalsAsync(campaign.CampaignId, cancellationToken).ConfigureAwait(false)).Sum(c => c.Votes)
        : await queries.EntryCountAsync(campaign.CampaignId, cancellationToken).ConfigureAwait(false);
}
