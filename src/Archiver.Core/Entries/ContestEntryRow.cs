namespace Archiver.Entries;

/// <summary>One row of <c>contest_campaign_entries</c>, as read from MySQL.</summary>
public sealed class ContestEntryRow
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
