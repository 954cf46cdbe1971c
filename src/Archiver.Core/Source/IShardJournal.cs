namespace Archiver.Source;

/// <summary>Where the shards of big campaigns are planned and their verification recorded (MySQL's <c>archiver_campaign_shards</c>).</summary>
public interface IShardJournal
{
    /// <summary>Every recorded shard of the campaign, by set and number.</summary>
    Task<IReadOnlyList<ShardRecord>> ReadAsync(long campaignId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the plan of one set (its shards' first keys, in order; the first shard is open below)
    /// unless the set already has one, in one transaction, and returns the set's shards as recorded:
    /// a plan once made is kept, so that every worker and every re-run works on the same ranges.
    /// </summary>
    Task<IReadOnlyList<ShardRecord>> PlanAsync(long campaignId, string table, IReadOnlyList<long> starts, CancellationToken cancellationToken = default);

    /// <summary>Marks a shard verified with what its verification proved.</summary>
    Task RecordVerifiedAsync(ShardRecord shard, long rows, string digest, CancellationToken cancellationToken = default);

    /// <summary>Marks a shard pending again: the campaign's final step found it no longer matching.</summary>
    Task ResetAsync(ShardRecord shard, CancellationToken cancellationToken = default);
}
