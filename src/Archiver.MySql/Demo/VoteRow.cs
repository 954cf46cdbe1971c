namespace Archiver.MySql.Demo;

/// <summary>One row of <c>vote_campaign_votes</c> (seeded by the demo; archived by a later version).</summary>
public sealed class VoteRow
{
    public long Id { get; init; }

    public long CampaignId { get; init; }

    public long? UserId { get; init; }

    public string Choice { get; init; } = "";

    public DateTime CreatedAt { get; init; }
}
