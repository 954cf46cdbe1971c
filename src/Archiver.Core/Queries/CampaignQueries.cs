using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Archiver.Queries;

/// <summary>
/// The delegate: routes each campaign's reads by its <c>archived</c> flag and does the paging
/// arithmetic once for both stores, so pages, totals and tokens cannot differ by store.
/// <para>
/// Routing never loses rows across the flip. A campaign is asked of MySQL unless it was seen
/// archived within <see cref="QueryOptions.ArchivedStateCacheFor"/>; MySQL reads the flag in the
/// snapshot its rows come from and, finding it set, refuses, and the read goes to the archive,
/// which was verified before the flag was set. A user's entries span campaigns in both states and
/// are merged: see <see cref="UserEntriesAsync"/>.
/// </para>
/// </summary>
public sealed class CampaignQueries : ICampaignQueries
{
    /// <summary>A user read is repeated when one of the user's campaigns is archived during it; more than this many in a row is not a race but a fault.</summary>
    private const int UserReadAttempts = 5;

    private readonly ILiveCampaignStore _live;
    private readonly IArchivedCampaignStore _archive;
    private readonly QueryOptions _options;
    private readonly ArchivedStateCache _archived;
    private readonly ILogger _logger;

    public CampaignQueries(ILiveCampaignStore live, IArchivedCampaignStore archive, IOptions<QueryOptions> options, TimeProvider? time = null, ILogger<CampaignQueries>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(options);
        _live = live;
        _archive = archive;
        _options = options.Value;
        _archived = new ArchivedStateCache(_options.ArchivedStateCacheFor, time ?? TimeProvider.System);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public Task<Page<ContestEntry>> EntriesAsync(long campaignId, PageRequest page, CancellationToken cancellationToken = default) =>
        CampaignPageAsync(campaignId, EntryFilter.All, PageTokenKind.Entries, page, cancellationToken);

    public Task<Page<ContestEntry>> NonWinnersAsync(long campaignId, PageRequest page, CancellationToken cancellationToken = default) =>
        CampaignPageAsync(campaignId, EntryFilter.NonWinners, PageTokenKind.NonWinners, page, cancellationToken);

    public async IAsyncEnumerable<ContestEntry> PaginatedEachAsync(long campaignId, int perPage, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        CheckPerPage(perPage);
        var seek = EntrySeek.Start;
        while (true)
        {
            // Each page is routed on its own: a walk that meets the flip goes on in the archive
            // from the last id, which both stores order the same way.
            var slice = await RouteAsync(campaignId, store => store.ReadEntriesAsync(campaignId, EntryFilter.All, seek, perPage, false, cancellationToken)).ConfigureAwait(false);
            foreach (var entry in slice.Items)
            {
                yield return entry;
            }

            if (slice.Items.Count < perPage)
            {
                yield break;
            }

            seek = EntrySeek.After(slice.Items[^1].Id);
        }
    }

    public async Task<IReadOnlyList<ContestEntry>> WinnersAsync(long campaignId, CancellationToken cancellationToken = default) =>
        (await RouteAsync(campaignId, store => store.ReadEntriesAsync(campaignId, EntryFilter.Winners, EntrySeek.Start, null, false, cancellationToken)).ConfigureAwait(false)).Items;

    public async Task<long> EntryCountAsync(long campaignId, CancellationToken cancellationToken = default) =>
        (await RouteAsync(campaignId, store => store.ReadEntriesAsync(campaignId, EntryFilter.All, EntrySeek.Start, 0, true, cancellationToken)).ConfigureAwait(false)).Total;

    public Task<IReadOnlyList<StatisticsPoint>> StatisticsAsync(long campaignId, Granularity granularity, DateTime since, DateTime until, CancellationToken cancellationToken = default)
    {
        var (start, end) = Buckets(granularity, since, until);
        return start == end
            ? Task.FromResult<IReadOnlyList<StatisticsPoint>>([])
            : RouteAsync(campaignId, store => store.StatisticsAsync(campaignId, granularity, start, end, cancellationToken));
    }

    public Task<IReadOnlyList<ChoiceVotes>> VoteTotalsAsync(long campaignId, CancellationToken cancellationToken = default) =>
        RouteAsync(campaignId, store => store.VoteTotalsAsync(campaignId, cancellationToken));

    public Task<IReadOnlyList<VoteBucket>> VoteSeriesAsync(long campaignId, Granularity granularity, DateTime since, DateTime until, CancellationToken cancellationToken = default)
    {
        var (start, end) = Buckets(granularity, since, until);
        return start == end
            ? Task.FromResult<IReadOnlyList<VoteBucket>>([])
            : RouteAsync(campaignId, store => store.VoteSeriesAsync(campaignId, granularity, start, end, cancellationToken));
    }

    /// <summary>
    /// A user's entries, newest first, merged from both stores. The order of the reads is what
    /// makes the merge exact while campaigns are being archived:
    /// <list type="number">
    /// <item>MySQL, in one snapshot: the user's rows in campaigns whose flag is clear in it (complete, as no purge touches them).</item>
    /// <item>The archive: the keys of all the user's documents, of any campaign.</item>
    /// <item>MySQL: the flags of every campaign met. Archive keys count only for campaigns flagged now;
    /// a campaign flagged now was verified before its flag was set, and a document is never removed,
    /// so its keys read in step 2 are complete unless the flag was set after step 2 began — and then
    /// the campaign was live in step 1's snapshot and the user has rows in it there. So a campaign
    /// that is live in step 1 and flagged in step 3 means the read raced the flip, and it is read again.</item>
    /// </list>
    /// Every key of the user is read to count the total exactly (a filter over a view has no cheaper
    /// exact count); bodies are read only for the page.
    /// </summary>
    public async Task<Page<ContestEntry>> UserEntriesAsync(long userId, PageRequest page, CancellationToken cancellationToken = default)
    {
        var (number, perPage, token) = Resolve(page, PageTokenKind.UserEntries, userId);
        for (var attempt = 1; ; attempt++)
        {
            var liveRows = await _live.LiveUserEntriesAsync(userId, cancellationToken).ConfigureAwait(false);
            var archivedKeys = await _archive.UserEntryKeysAsync(userId, cancellationToken).ConfigureAwait(false);
            var liveCampaigns = liveRows.Select(e => e.CampaignId).ToHashSet();
            var flags = await _live.ArchivedFlagsAsync(liveCampaigns.Union(archivedKeys.Select(k => k.CampaignId)).ToList(), cancellationToken).ConfigureAwait(false);
            if (liveCampaigns.Any(c => flags.TryGetValue(c, out var archived) && archived))
            {
                if (attempt == UserReadAttempts)
                {
                    throw new ArchiverException($"the entries of user {userId} could not be read: campaigns were archived during each of {UserReadAttempts} attempts");
                }

                Log.UserReadRaced(_logger, userId, attempt);
                continue;
            }

            var merged = new List<(UserEntryKey Key, ContestEntry? Live)>(liveRows.Count + archivedKeys.Count);
            merged.AddRange(liveRows.Select(e => (UserEntryKey.Of(e), (ContestEntry?)e)));
            merged.AddRange(archivedKeys.Where(k => flags.TryGetValue(k.CampaignId, out var archived) && archived).Select(k => (k, (ContestEntry?)null)));
            merged.Sort((a, b) => a.Key.CompareTo(b.Key));

            var start = token is null
                ? Math.Min(OffsetOf(number, perPage), merged.Count)
                : FirstAfter(merged, new UserEntryKey(token.LastCreatedAt, token.LastCampaign, token.LastId));
            var slice = merged.Skip((int)start).Take(perPage).ToList();
            var fromArchive = await _archive.GetEntriesAsync(slice.Where(s => s.Live is null).Select(s => s.Key).ToList(), cancellationToken).ConfigureAwait(false);
            var items = new List<ContestEntry>(slice.Count);
            var next = 0;
            foreach (var (_, live) in slice)
            {
                items.Add(live ?? fromArchive[next++]);
            }

            var last = items.Count > 0 ? items[^1] : null;
            var nextToken = last is null ? null
                : new PageToken(PageTokenKind.UserEntries, userId, perPage, number + 1, last.Id, last.CampaignId, last.CreatedAt).Encode();
            return new Page<ContestEntry>(items, number, perPage, merged.Count, nextToken);
        }
    }

    /// <summary>The offset of page <paramref name="page"/>'s first item in the whole list.</summary>
    private static long OffsetOf(int page, int perPage) => (long)(page - 1) * perPage;

    private static long FirstAfter(List<(UserEntryKey Key, ContestEntry? Live)> merged, UserEntryKey after)
    {
        int low = 0, high = merged.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (merged[middle].Key.CompareTo(after) <= 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private async Task<Page<ContestEntry>> CampaignPageAsync(long campaignId, EntryFilter filter, PageTokenKind kind, PageRequest page, CancellationToken cancellationToken)
    {
        var (number, perPage, token) = Resolve(page, kind, campaignId);
        var seek = token is null ? EntrySeek.AtOffset(OffsetOf(number, perPage)) : EntrySeek.After(token.LastId);
        var slice = await RouteAsync(campaignId, store => store.ReadEntriesAsync(campaignId, filter, seek, perPage, true, cancellationToken)).ConfigureAwait(false);
        var nextToken = slice.Items.Count == 0 ? null
            : new PageToken(kind, campaignId, perPage, number + 1, slice.Items[^1].Id, campaignId, default).Encode();
        return new Page<ContestEntry>(slice.Items, number, perPage, slice.Total, nextToken);
    }

    /// <summary>The page number and per_page asked for, checked, and the token when there is one.</summary>
    private (int Number, int PerPage, PageToken? Token) Resolve(PageRequest page, PageTokenKind kind, long subject)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (page.Token is { } text)
        {
            var token = PageToken.Decode(text, kind, subject, _options.MaxPerPage);
            return (token.Page, token.PerPage, token);
        }

        if (page.PageNumber < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(page), page.PageNumber, $"page must be 1 or more (got {page.PageNumber}); pages count from 1");
        }

        CheckPerPage(page.PerPage);
        return (page.PageNumber, page.PerPage, null);
    }

    private void CheckPerPage(int perPage)
    {
        if (perPage < 1 || perPage > _options.MaxPerPage)
        {
            throw new ArgumentOutOfRangeException(nameof(perPage), perPage, $"per_page must be between 1 and {_options.MaxPerPage} (Queries:MaxPerPage), got {perPage}");
        }
    }

    private static (DateTime Start, DateTime End) Buckets(Granularity granularity, DateTime since, DateTime until)
    {
        if (!Enum.IsDefined(granularity))
        {
            throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "granularity must be Minute, Hour or Day");
        }

        if (TimeBuckets.AsUtc(until) < TimeBuckets.AsUtc(since))
        {
            throw new ArgumentException($"the range ends ({until:O}) before it starts ({since:O})", nameof(until));
        }

        return since == until
            ? (TimeBuckets.AsUtc(since), TimeBuckets.AsUtc(since))
            : (TimeBuckets.Floor(since, granularity), TimeBuckets.Ceiling(until, granularity));
    }

    private async Task<T> RouteAsync<T>(long campaignId, Func<ICampaignStore, Task<T>> read)
    {
        if (!_archived.IsArchived(campaignId))
        {
            try
            {
                return await read(_live).ConfigureAwait(false);
            }
            catch (CampaignArchivedException)
            {
                _archived.MarkArchived(campaignId);
                Log.RoutedToArchive(_logger, campaignId);
            }
        }

        return await read(_archive).ConfigureAwait(false);
    }
}
