namespace Archiver.Queries;

/// <summary>
/// The application's read API over campaign data, wherever it lives: campaigns that are live are
/// answered from MySQL, archived ones from CouchDB, with the same records, order, totals and
/// tokens, so a caller cannot tell which store answered. Entries of a campaign are listed in id
/// order; a user's entries newest first (<see cref="UserEntryKey"/>).
/// </summary>
public interface ICampaignQueries
{
    /// <summary>A page of a campaign's entries in id order.</summary>
    Task<Page<ContestEntry>> EntriesAsync(long campaignId, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>
    /// will_paginate's <c>paginated_each</c>: every entry of the campaign in id order, read
    /// <paramref name="perPage"/> at a time by keyset, so one page is in memory at a time.
    /// </summary>
    IAsyncEnumerable<ContestEntry> PaginatedEachAsync(long campaignId, int perPage, CancellationToken cancellationToken = default);

    /// <summary>Every winner of the campaign, in id order.</summary>
    Task<IReadOnlyList<ContestEntry>> WinnersAsync(long campaignId, CancellationToken cancellationToken = default);

    /// <summary>A page of the campaign's entries that did not win, in id order; totals count only those.</summary>
    Task<Page<ContestEntry>> NonWinnersAsync(long campaignId, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>How many entries the campaign has.</summary>
    Task<long> EntryCountAsync(long campaignId, CancellationToken cancellationToken = default);

    /// <summary>A page of a user's entries across every campaign, newest first, live and archived campaigns merged.</summary>
    Task<Page<ContestEntry>> UserEntriesAsync(long userId, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Entries and winners per bucket, for every bucket that overlaps [<paramref name="since"/>, <paramref name="until"/>) (see <see cref="TimeBuckets"/>).</summary>
    Task<IReadOnlyList<StatisticsPoint>> StatisticsAsync(long campaignId, Granularity granularity, DateTime since, DateTime until, CancellationToken cancellationToken = default);

    /// <summary>Votes per choice over the whole campaign, in ordinal order of the choice.</summary>
    Task<IReadOnlyList<ChoiceVotes>> VoteTotalsAsync(long campaignId, CancellationToken cancellationToken = default);

    /// <summary>Votes per bucket, total and per choice, bounded as <see cref="StatisticsAsync"/>.</summary>
    Task<IReadOnlyList<VoteBucket>> VoteSeriesAsync(long campaignId, Granularity granularity, DateTime since, DateTime until, CancellationToken cancellationToken = default);
}
