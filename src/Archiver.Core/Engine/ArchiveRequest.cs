namespace Archiver.Engine;

/// <summary>What <c>archiver archive run</c> asked for.</summary>
/// <param name="CampaignId">Only this campaign (it must still be eligible); null for every eligible campaign.</param>
/// <param name="DryRun">Report what would be done and write nothing.</param>
/// <param name="MaxRuntime">
/// Stop cleanly once the run has lasted this long: no new campaign is started and no new batch is
/// sent; the campaign in progress is left unflagged for the next run. Null for no limit.
/// </param>
public sealed record ArchiveRequest(long? CampaignId = null, bool DryRun = false, TimeSpan? MaxRuntime = null)
{
    /// <summary>Shards of a sharded campaign (<c>Archive:ShardRows</c>) copied at once in this process (<c>--parallel</c>).</summary>
    public int Parallel { get; init; } = 1;

    /// <summary>
    /// Leave a sharded campaign's pending shards to other jobs (<see cref="CampaignResult.PendingShards"/>)
    /// instead of copying them here: the worker's <c>archive-campaign</c> job enqueues one job per shard.
    /// </summary>
    public bool DispatchShards { get; init; }
}
