namespace Archiver.Queries;

/// <summary>The <c>Queries</c> configuration section: the application's read API over both stores.</summary>
public sealed class QueryOptions
{
    public const string SectionName = "Queries";

    /// <summary>The largest per_page a caller may ask for (will_paginate's bound is the application's to choose).</summary>
    public int MaxPerPage { get; set; } = 1000;

    /// <summary>
    /// How long a campaign seen archived is sent straight to the archive without asking MySQL. Only
    /// the archived state is cached: a live answer is always checked in the snapshot its rows come
    /// from, so a cached state can route a query to a store that still has every row, never to one
    /// that lost them.
    /// </summary>
    public TimeSpan ArchivedStateCacheFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The set whose table holds contest entries (its database in <c>Archive:Sets</c> is where its documents are).</summary>
    public string EntriesTable { get; set; } = "contest_campaign_entries";

    /// <summary>The set whose table holds votes.</summary>
    public string VotesTable { get; set; } = "vote_campaign_votes";

    /// <summary>
    /// The archive finds page N by number from an index of every <c>PageIndexStride</c>-th entry
    /// id of a campaign, built on first use and kept in memory: a page then skips fewer than this
    /// many view rows, wherever it is.
    /// </summary>
    public int PageIndexStride { get; set; } = 100;

    /// <summary>How many campaigns' page indexes and totals the archive keeps in memory (least recently used go first).</summary>
    public int PageIndexCampaigns { get; set; } = 256;
}
