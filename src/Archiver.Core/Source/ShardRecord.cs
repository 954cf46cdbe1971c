namespace Archiver.Source;

/// <summary>
/// One shard of a campaign's set as recorded in MySQL: its key range, and once its copy was verified,
/// how many rows it held and the digest of what verification proved (every row's document id,
/// content hash and revision, in key order). The campaign's final step recomputes that digest from the
/// rows and the archive as they are then; only equal digests count the shard as done.
/// </summary>
/// <param name="CampaignId">The campaign.</param>
/// <param name="Table">The set's table.</param>
/// <param name="Number">The shard's number within its set, from 0, in key order.</param>
/// <param name="Range">The shard's keys.</param>
/// <param name="Digest">The verified digest (lower-case hex SHA-256); null while the shard is pending.</param>
/// <param name="Rows">The rows verified; 0 while pending.</param>
public sealed record ShardRecord(long CampaignId, string Table, int Number, KeyRange Range, string? Digest = null, long Rows = 0)
{
    public bool Verified => Digest is not null;

    /// <summary>How people and checkpoints name it: <c>{table}#{number}</c>.</summary>
    public string Name => $"{Table}#{Number}";
}
