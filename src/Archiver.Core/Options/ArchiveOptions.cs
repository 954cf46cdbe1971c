using Archiver.Sets;

namespace Archiver.Options;

/// <summary>The <c>Archive</c> configuration section.</summary>
public sealed class ArchiveOptions
{
    public const string SectionName = "Archive";

    /// <summary>Documents per <c>_bulk_docs</c> request (CouchDB suggests one to ten thousand).</summary>
    public int BatchSize { get; set; } = 2500;

    /// <summary>How long after <c>ends_at</c> a campaign becomes eligible, by the database's clock.</summary>
    public TimeSpan CompletedAfter { get; set; } = TimeSpan.FromDays(2);

    /// <summary>
    /// <c>_bulk_docs</c> requests in flight at once. Whatever the value, the next batch is read from
    /// MySQL while they are with CouchDB; more than one keeps the server busy while it answers.
    /// </summary>
    public int MaxConcurrentBatches { get; set; } = 2;

    /// <summary>
    /// Documents written to a database between two refreshes of its view indexes (and once more at
    /// the end of each campaign): readers query with <c>stale=ok</c>, so the archive job is what keeps
    /// the indexes current, a little at a time instead of in one long build.
    /// </summary>
    public int ViewRefreshEvery { get; set; } = 100_000;

    /// <summary>
    /// Rows per shard: a campaign with a set above this many rows is split into key ranges of about
    /// this many rows each, every one copied and verified on its own (as a job of its own on a worker,
    /// or <c>archive run --parallel K</c> at a time in one process), then verified as a whole and
    /// flagged by a final step. 0 (the default) never shards.
    /// </summary>
    public long ShardRows { get; set; }

    /// <summary>
    /// When set, <c>archive run</c> ends by purging the MySQL rows of campaigns archived at least this
    /// long ago (after re-verifying them). Unset by default: purging is an explicit decision.
    /// </summary>
    public TimeSpan? PurgeAfter { get; set; }

    /// <summary>The tables archived for every campaign (appsettings.json ships contest entries and votes). A campaign is flagged only when every set is verified.</summary>
    public IList<ArchiveSetOptions> Sets { get; } = [];
}
