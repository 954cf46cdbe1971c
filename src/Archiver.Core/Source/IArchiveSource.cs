using Archiver.Entries;

namespace Archiver.Source;

/// <summary>The MySQL side of the engine.</summary>
public interface IArchiveSource
{
    /// <summary>Campaigns with <c>archived = 0</c> whose <c>ends_at</c> is at least <paramref name="completedAfter"/> in the past, oldest first.</summary>
    Task<IReadOnlyList<CampaignInfo>> FindCompletedCampaignsAsync(TimeSpan completedAfter, CancellationToken cancellationToken = default);

    /// <summary>One campaign, archived or not; null when it does not exist.</summary>
    Task<CampaignInfo?> GetCampaignAsync(long campaignId, CancellationToken cancellationToken = default);

    /// <summary>Count and key sum of the campaign's entries, now.</summary>
    Task<RowFingerprint> GetEntryFingerprintAsync(long campaignId, CancellationToken cancellationToken = default);

    /// <summary>The campaign's entries in primary-key order, holding only a bounded chunk in memory.</summary>
    IAsyncEnumerable<ContestEntryRow> StreamEntriesAsync(long campaignId, CancellationToken cancellationToken = default);

    /// <summary>The campaign's entry keys in primary-key order.</summary>
    IAsyncEnumerable<long> StreamEntryKeysAsync(long campaignId, CancellationToken cancellationToken = default);

    /// <summary>Those of <paramref name="keys"/> that are currently entries of the campaign.</summary>
    Task<IReadOnlySet<long>> FindEntryKeysAsync(long campaignId, IReadOnlyCollection<long> keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets <c>archived = 1, archived_at = UTC_TIMESTAMP(3)</c> in one transaction that locks the
    /// campaign, re-checks <c>archived = 0</c> and re-computes the entries' fingerprint; the flag is
    /// set only if it still equals <paramref name="verified"/>.
    /// </summary>
    Task<FlagOutcome> FlagArchivedAsync(long campaignId, RowFingerprint verified, CancellationToken cancellationToken = default);
}
