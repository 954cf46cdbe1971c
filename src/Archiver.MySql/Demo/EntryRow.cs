namespace Archiver.MySql.Demo;

/// <summary>One row of <c>contest_campaign_entries</c>, as the demo seeder and the tests insert it.</summary>
public sealed class EntryRow
{
    public long Id { get; init; }

    public long CampaignId { get; init; }

    public long? UserId { get; init; }

    public int EntryNumber { get; init; }

    public bool Winner { get; init; }

    public string? Message { get; init; }

    /// <summary>DATETIME(3), UTC by the schema's convention.</summary>
    public DateTime CreatedAt { get; init; }
}
