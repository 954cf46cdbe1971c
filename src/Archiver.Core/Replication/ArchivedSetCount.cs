namespace Archiver.Replication;

/// <summary>One set of an archived campaign and the rows verified when it was flagged (<c>archiver_archived_sets</c>).</summary>
public sealed record ArchivedSetCount(long CampaignId, string Table, long Rows);
