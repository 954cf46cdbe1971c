using Archiver.Sets;

namespace Archiver.Source;

/// <summary>The MySQL side of the engine.</summary>
public interface IArchiveSource
{
    /// <summary>Campaigns with <c>archived = 0</c> whose <c>ends_at</c> is at least <paramref name="completedAfter"/> in the past, oldest first.</summary>
    Task<IReadOnlyList<CampaignInfo>> FindCompletedCampaignsAsync(TimeSpan completedAfter, CancellationToken cancellationToken = default);

    /// <summary>One campaign, archived or not; null when it does not exist.</summary>
    Task<CampaignInfo?> GetCampaignAsync(long campaignId, CancellationToken cancellationToken = default);

    /// <summary>Checks a configured set against its table's columns; a mismatch is an <see cref="ArchiverConfigurationException"/>.</summary>
    Task<ArchiveSet> DescribeAsync(ArchiveSetOptions options, CancellationToken cancellationToken = default);

    /// <summary>How many rows the campaign has in the set, from the (campaign, key) index alone: for progress and dry runs.</summary>
    Task<long> CountRowsAsync(ArchiveSet archiveSet, long campaignId, CancellationToken cancellationToken = default);

    /// <summary>The campaign's rows of the set, now, as a fingerprint (reads every row: for verification and the flag).</summary>
    Task<SetFingerprint> GetFingerprintAsync(ArchiveSet archiveSet, long campaignId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The campaign's rows of the set with keys in <paramref name="range"/> (<see cref="KeyRange.All"/>
    /// for all of them) in primary-key order, each as the values the database returned in the set's
    /// column order (a fresh array per row), holding only a bounded chunk in memory. Core turns them
    /// into documents (<see cref="ArchiveSourceRows"/>).
    /// </summary>
    IAsyncEnumerable<object?[]> ReadRowsAsync(ArchiveSet archiveSet, long campaignId, KeyRange range, CancellationToken cancellationToken = default);

    /// <summary>
    /// The first key of every run of <paramref name="shardRows"/> rows of the campaign in the set, in
    /// key order (one index scan): where the shards of a big campaign begin. Empty when it has no rows.
    /// </summary>
    Task<IReadOnlyList<long>> GetShardStartsAsync(ArchiveSet archiveSet, long campaignId, long shardRows, CancellationToken cancellationToken = default);

    /// <summary>Claims one shard of a campaign for this process (see <see cref="TryLockCampaignAsync"/>); null when another process holds it.</summary>
    Task<ICampaignLock?> TryLockShardAsync(long campaignId, string table, int shard, CancellationToken cancellationToken = default);

    /// <summary>Claims the campaign for this process; null when another process holds it.</summary>
    Task<ICampaignLock?> TryLockCampaignAsync(long campaignId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets <c>archived = 1, archived_at = UTC_TIMESTAMP(3)</c> in one transaction that locks the
    /// campaign row, re-checks <c>archived = 0</c> and that <c>ends_at</c> is still at least
    /// <paramref name="completedAfter"/> before the database's clock, re-computes every set's fingerprint
    /// under share locks, and last, with all of that held, awaits <paramref name="archiveUnchanged"/>
    /// (which throws if the archive changed since verification, and returns by table the digests of the
    /// row documents' chunks, see <see cref="Purge.ArchivedChunk"/>) and records, for every set not
    /// partly purged, the chunks of its rows with their fingerprints and those digests before it commits. Throws
    /// <see cref="ArchiveVerificationException"/> naming the set whose rows no longer match
    /// <paramref name="verified"/>.
    /// </summary>
    Task<FlagOutcome> FlagArchivedAsync(
        long campaignId, TimeSpan completedAfter, IReadOnlyList<VerifiedSet> verified,
        Func<CancellationToken, Task<IReadOnlyDictionary<string, IReadOnlyList<string>>>> archiveUnchanged, CancellationToken cancellationToken = default);
}
