namespace Archiver.Queries;

/// <summary>
/// The CouchDB archive, asked only about campaigns whose flag is set (so their documents are
/// verified and no longer change) and about a user's documents across every campaign.
/// </summary>
public interface IArchivedCampaignStore : ICampaignStore
{
    /// <summary>The keys of every archived document of <paramref name="userId"/>, of any campaign, in <see cref="UserEntryKey"/> order.</summary>
    Task<IReadOnlyList<UserEntryKey>> UserEntryKeysAsync(long userId, CancellationToken cancellationToken);

    /// <summary>The entries with these keys, in the order given; a key without a document is an error naming its document id.</summary>
    Task<IReadOnlyList<ContestEntry>> GetEntriesAsync(IReadOnlyList<UserEntryKey> keys, CancellationToken cancellationToken);
}
