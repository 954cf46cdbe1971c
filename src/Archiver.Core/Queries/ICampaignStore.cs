namespace Archiver.Queries;

/// <summary>
/// What one store (live MySQL, or the CouchDB archive) answers about one campaign. Implementations
/// give identical answers for the same rows; the delegate (<c>CampaignQueries</c>) routes between them and
/// does the paging arithmetic, so neither store knows about pages or tokens.
/// </summary>
public interface ICampaignStore
{
    /// <summary>
    /// The entries of <paramref name="filter"/> in id order from <paramref name="seek"/>, at most
    /// <paramref name="limit"/> of them (null: all), and their total when <paramref name="withTotal"/>.
    /// Finding <see cref="EntrySeek.Offset"/> must not read the entries before it.
    /// </summary>
    Task<EntrySlice> ReadEntriesAsync(long campaignId, EntryFilter filter, EntrySeek seek, int? limit, bool withTotal, CancellationToken cancellationToken);

    /// <summary>
    /// Entries and winners per bucket for buckets starting in [<paramref name="since"/>, <paramref name="until"/>),
    /// both already on bucket boundaries; buckets without entries are left out; ascending.
    /// </summary>
    Task<IReadOnlyList<StatisticsPoint>> StatisticsAsync(long campaignId, Granularity granularity, DateTime since, DateTime until, CancellationToken cancellationToken);

    /// <summary>Votes per choice over the whole campaign, in ordinal order of the choice; choices without votes are left out.</summary>
    Task<IReadOnlyList<ChoiceVotes>> VoteTotalsAsync(long campaignId, CancellationToken cancellationToken);

    /// <summary>Votes per bucket and choice, as <see cref="StatisticsAsync"/> bounds and orders them.</summary>
    Task<IReadOnlyList<VoteBucket>> VoteSeriesAsync(long campaignId, Granularity granularity, DateTime since, DateTime until, CancellationToken cancellationToken);
}
