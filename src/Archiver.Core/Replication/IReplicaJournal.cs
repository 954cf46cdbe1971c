namespace Archiver.Replication;

/// <summary>
/// Which campaigns each replica holds complete (<c>archiver_replica_campaigns</c>): a campaign is
/// complete at a replica when every one of its sets there has the documents verified when it was
/// flagged, its rollups, and built views. Reads use it to pick servers; status uses it for lag.
/// </summary>
public interface IReplicaJournal
{
    /// <summary>True when <paramref name="replica"/> holds <paramref name="campaignId"/> complete.</summary>
    Task<bool> IsCompleteAsync(string replica, long campaignId, CancellationToken cancellationToken = default);

    /// <summary>True when <paramref name="replica"/> holds every archived campaign complete (its lag is zero).</summary>
    Task<bool> IsCaughtUpAsync(string replica, CancellationToken cancellationToken = default);

    /// <summary>The sets of every archived campaign not yet complete at <paramref name="replica"/>, by campaign.</summary>
    Task<IReadOnlyList<ArchivedSetCount>> PendingAsync(string replica, CancellationToken cancellationToken = default);

    /// <summary>Records <paramref name="campaignId"/> complete at <paramref name="replica"/> with its <paramref name="documents"/>; repeating it changes nothing.</summary>
    Task MarkCompleteAsync(string replica, long campaignId, long documents, CancellationToken cancellationToken = default);
}
