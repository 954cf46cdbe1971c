namespace Archiver.MySql.Demo;

/// <summary>One row of <c>vote_campaign_votes</c>, as the demo seeder and the tests insert it.</summary>
public sealed class VoteRow
{
    public long Id { get; init; }

    public long CampaignId { get; init; }

    public long? UserId { get; init; }

    public string Choice { get; init; } = "";

    public DateTime CreatedAt { get; init; }
}
