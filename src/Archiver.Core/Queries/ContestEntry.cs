namespace Archiver.Queries;

/// <summary>
/// One row of <c>contest_campaign_entries</c>, the same record whichever store answered.
/// <see cref="CreatedAt"/> is UTC with millisecond precision (the column is DATETIME(3), the archive ISO-8601 with milliseconds).
/// </summary>
public sealed record ContestEntry(long Id, long CampaignId, long? UserId, int EntryNumber, bool Winner, string? Message, DateTime CreatedAt);
