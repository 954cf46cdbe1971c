using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Archiver.CouchDb.Internal;
using Archiver.Documents;
using Archiver.Options;
using Archiver.Queries;
using Archiver.Sets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Archiver.CouchDb.Queries;

/// <summary>
/// The CouchDB archive's answers to the read API, from the shipped views (<c>views/</c>), always
/// read <c>stale=ok</c>. It is asked only about campaigns whose flag is set, whose documents are
/// verified and no longer change: so a campaign's totals, page indexes and entry series are read once and kept
/// (least recently used campaigns forgotten first, <see cref="QueryOptions.PageIndexCampaigns"/>).
/// Differences between CouchDB 3 and pouchdb-server that shape the reads are in docs/couchdb-compat.md.
/// </summary>
public sealed partial class CouchCampaignStore : IArchivedCampaignStore
{
    private const string EntriesDesign = "entries";

    /// <summary>The one entry view (<c>views/contest_campaign_entries/entries/views/keys</c>): <c>['c', campaign, winner, id]</c> and <c>['u', user, created_at, campaign, id]</c>.</summary>
    private const string KeysView = "keys";
    private const string StatsDesign = "stats";

    /// <summary>Rows per request when only keys are read (page indexes, a user's keys): about 1 MB of answer.</summary>
    private const int KeyChunk = 10_000;

    /// <summary>Rows per request with their documents (about 300 bytes each).</summary>
    private const int DocumentChunk = 2_000;

    private readonly CouchDbClient _couch;
    private readonly QueryOptions _options;
    private readonly ILogger _logger;
    private readonly LruCache<CampaignKey, CampaignCache> _campaigns;

    public CouchCampaignStore(CouchDbClient couch, IOptions<ArchiveOptions> archive, IOptions<QueryOptions> queries, ILogger<CouchCampaignStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(couch);
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(queries);
        _couch = couch;
        _options = queries.Value;
        _logger = logger ?? NullLogger<CouchCampaignStore>.Instance;
        Entries = FindSet(archive.Value, _options.EntriesTable, nameof(QueryOptions.EntriesTable));
        Votes = FindSet(archive.Value, _options.VotesTable, nameof(QueryOptions.VotesTable));
        _campaigns = new LruCache<CampaignKey, CampaignCache>(_options.PageIndexCampaigns);
    }

    /// <summary>The archive set of contest entries (its <c>Database</c> holds their documents and rollups).</summary>
    public ArchiveSetOptions Entries { get; }

    /// <summary>The archive set of votes.</summary>
    public ArchiveSetOptions Votes { get; }

    /// <summary>How many campaigns' totals and page indexes are in memory now.</summary>
    public int CachedCampaigns => _campaigns.Count;

    /// <inheritdoc />
    public async Task<EntrySlice> ReadEntriesAsync(long campaignId, EntryFilter filter, EntrySeek seek, int? limit, bool withTotal, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seek.Offset, nameof(seek));
        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit cannot be negative");
        }

        var range = EntryRange.For(Entries.Table, campaignId, filter);
        var total = withTotal ? (await TotalsAsync(campaignId, cancellationToken).ConfigureAwait(false)).Of(filter) : -1;
        if (limit == 0)
        {
            return new EntrySlice(total, []);
        }

        string startKey;
        var skip = 0;
        if (seek.AfterId is { } afterId)
        {
            if (afterId == long.MaxValue)
            {
                return new EntrySlice(total, []);
            }

            // Ids are integers and keys unique, so "after id" is "from id + 1": no skip, no extra row.
            startKey = range.From(afterId + 1);
        }
        else if (total >= 0 && seek.Offset >= total)
        {
            return new EntrySlice(total, []);
        }
        else if (seek.Offset < _options.PageIndexStride)
        {
            startKey = range.Start;
            skip = (int)seek.Offset;
        }
        else
        {
            // Page N by number: start at the indexed id of the stride it falls in and skip fewer than
            // PageIndexStride rows, so the cost of a page does not grow with its number.
            var index = await PageIndexAsync(campaignId, filter, range, cancellationToken).ConfigureAwait(false);
            var anchor = seek.Offset / _options.PageIndexStride;
            if (anchor >= index.Anchors.Length)
            {
                return new EntrySlice(total, []);
            }

            startKey = range.From(index.Anchors[anchor]);
            skip = (int)(seek.Offset % _options.PageIndexStride);
        }

        var items = await ReadFromAsync(range, startKey, skip, limit, cancellationToken).ConfigureAwait(false);
        return new EntrySlice(total, items);
    }

    /// <summary>
    /// Entries with their documents from <paramref name="startKey"/> (after <paramref name="skip"/> rows),
    /// in requests of at most <see cref="DocumentChunk"/> rows, each continuing from the last id + 1.
    /// </summary>
    private async Task<List<ContestEntry>> ReadFromAsync(EntryRange range, string startKey, int skip, int? limit, CancellationToken cancellationToken)
    {
        var database = Entries.Database;
        var items = new List<ContestEntry>(Math.Min(limit ?? DocumentChunk, DocumentChunk));
        while (true)
        {
            var want = limit is { } max ? Math.Min(max - items.Count, DocumentChunk) : DocumentChunk;
            var result = await QueryAsync(database, range, new ViewQuery { StartKey = startKey, Skip = skip, Limit = want, IncludeDocs = true }, cancellationToken).ConfigureAwait(false);
            foreach (var row in result.Rows)
            {
                var documentId = row.Id ?? "(no id)";
                var entry = EntryDocument.Read(database, documentId, row.Doc, Entries.Type);
                if (entry.CampaignId != range.CampaignId || entry.Id != range.KeyId(database, row))
                {
                    throw new ArchiveReadException(database, documentId, $"the document (campaign {entry.CampaignId}, id {entry.Id}) does not match its key {row.Key.GetRawText()} in {range.Name}");
                }

                items.Add(entry);
            }

            if (result.Rows.Count < want || (limit is { } l && items.Count >= l))
            {
                return items;
            }

            startKey = range.From(items[^1].Id + 1);
            skip = 0;
        }
    }

    private async Task<EntryTotals> TotalsAsync(long campaignId, CancellationToken cancellationToken)
    {
        var database = Entries.Database;
        var cache = _campaigns.GetOrAdd(new CampaignKey(database, campaignId), static _ => new CampaignCache());
        var read = cache.Totals(() => Task.Run(() => ReadTotalsAsync(Entries.EffectiveRollupDatabase, campaignId, CancellationToken.None), CancellationToken.None));

        // The read is shared by every caller and cached, so one caller's cancellation only stops its wait.
        return await read.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A campaign's entries and winners from its rollups (stats/by_minute, group_level=1): one row per
    /// minute instead of one per entry. A _count reduce over the entries would be exact too, but
    /// pouchdb-server reduces at query time, which over 100,000 entries takes seconds, and on CouchDB
    /// it is one more index to build over every entry.
    /// </summary>
    private async Task<EntryTotals> ReadTotalsAsync(string database, long campaignId, CancellationToken cancellationToken)
    {
        var result = await _couch.QueryViewAsync(database, StatsDesign, "by_minute",
            new ViewQuery { StartKey = CampaignStartKey(campaignId), EndKey = CampaignEndKey(campaignId), GroupLevel = 1 }, cancellationToken).ConfigureAwait(false);
        long count = 0, winners = 0;
        foreach (var row in result.Rows)
        {
            if (row.Value.ValueKind != JsonValueKind.Array || row.Value.GetArrayLength() < 2)
            {
                throw new ArchiveReadException(database, null, $"view stats/by_minute answered {row.Value.GetRawText()} for campaign {campaignId}, not [entries, winners]");
            }

            count += Count(database, "stats/by_minute", row.Value[0]);
            winners += Count(database, "stats/by_minute", row.Value[1]);
        }

        return new EntryTotals(count, winners);
    }

    private async Task<PageIndex> PageIndexAsync(long campaignId, EntryFilter filter, EntryRange range, CancellationToken cancellationToken)
    {
        var database = Entries.Database;
        var cache = _campaigns.GetOrAdd(new CampaignKey(database, campaignId), static _ => new CampaignCache());
        var build = cache.Index(filter, () => Task.Run(() => BuildPageIndexAsync(database, range, filter, CancellationToken.None), CancellationToken.None));
        return await build.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every <see cref="QueryOptions.PageIndexStride"/>-th id of the filter, from one pass over the
    /// view's keys without documents (<see cref="KeyChunk"/> rows a request). The pass also counts
    /// the rows, which must equal the rollups' count: a view that is not built (stale=ok then answers
    /// nothing) or an archive that lacks documents would otherwise give pages that silently disagree with MySQL.
    /// </summary>
    private async Task<PageIndex> BuildPageIndexAsync(string database, EntryRange range, EntryFilter filter, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var stride = _options.PageIndexStride;
        var anchors = new List<long>();
        long count = 0;
        var requests = 0;
        var startKey = range.Start;
        while (true)
        {
            var result = await QueryAsync(database, range, new ViewQuery { StartKey = startKey, Limit = KeyChunk }, cancellationToken).ConfigureAwait(false);
            requests++;
            long last = 0;
            foreach (var row in result.Rows)
            {
                last = range.KeyId(database, row);
                if (count % stride == 0)
                {
                    anchors.Add(last);
                }

                count++;
            }

            if (result.Rows.Count < KeyChunk)
            {
                break;
            }

            startKey = range.From(last + 1);
        }

        var expected = (await TotalsAsync(range.CampaignId, cancellationToken).ConfigureAwait(false)).Of(filter);
        if (count != expected)
        {
            throw new ArchiveReadException(database, null,
                $"{range.Name} lists {count:N0} entries of campaign {range.CampaignId} ({filter}) but its rollups count {expected:N0}: the view is not built or the archive is incomplete");
        }

        Log.PageIndexBuilt(_logger, database, range.CampaignId, filter.ToString(), count, anchors.Count, requests, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return new PageIndex([.. anchors]);
    }

    /// <summary>Rows of a filter's range from <see cref="ViewQuery.StartKey"/> on: document ids (<c>_all_docs</c>) or the entry view.</summary>
    private Task<ViewResult> QueryAsync(string database, EntryRange range, ViewQuery query, CancellationToken cancellationToken)
    {
        query = query with { EndKey = range.End, InclusiveEnd = false };
        return range.View is { } view
            ? _couch.QueryViewAsync(database, EntriesDesign, view, query, cancellationToken)
            : _couch.QueryAllDocsAsync(database, query, cancellationToken);
    }

    /// <summary>A summed count, an integer however the server spells it (pouchdb-server's numbers are doubles).</summary>
    private static long Count(string database, string view, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt64(out var number))
            {
                return number;
            }

            if (value.TryGetDouble(out var real) && real == Math.Floor(real) && Math.Abs(real) <= JsonSafeInteger.Max)
            {
                return (long)real;
            }
        }

        throw new ArchiveReadException(database, null, $"view {view} answered {value.GetRawText()} where a count belongs");
    }

    private static string CampaignStartKey(long campaignId) => string.Create(CultureInfo.InvariantCulture, $"[{campaignId}]");

    private static string CampaignEndKey(long campaignId) => string.Create(CultureInfo.InvariantCulture, $"[{campaignId},{{}}]");

    private static ArchiveSetOptions FindSet(ArchiveOptions archive, string table, string option)
    {
        ArgumentNullException.ThrowIfNull(archive);
        var set = archive.Sets.FirstOrDefault(s => string.Equals(s.Table, table, StringComparison.Ordinal));
        if (set is null)
        {
            throw new ArchiverConfigurationException(
                $"{QueryOptions.SectionName}:{option} is '{table}', but no entry of {ArchiveOptions.SectionName}:Sets has that Table " +
                $"(configured: {(archive.Sets.Count == 0 ? "none" : string.Join(", ", archive.Sets.Select(s => s.Table)))})");
        }

        if (string.IsNullOrWhiteSpace(set.Database))
        {
            throw new ArchiverConfigurationException($"{ArchiveOptions.SectionName}:Sets entry '{table}' has no Database: the archive cannot be read");
        }

        return set;
    }

    private readonly record struct CampaignKey(string Database, long CampaignId);

    private readonly record struct EntryTotals(long Entries, long Winners)
    {
        public long Of(EntryFilter filter) => filter switch
        {
            EntryFilter.All => Entries,
            EntryFilter.Winners => Winners,
            EntryFilter.NonWinners => Entries - Winners,
            _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "unknown filter"),
        };
    }

    /// <summary>The id at every stride-th position of a filter's entries (position 0 first).</summary>
    private sealed record PageIndex(long[] Anchors);

    /// <summary>
    /// Where a filter's entries are, in id order: all of them are the campaign's document ids
    /// (<c>_all_docs</c>, <see cref="DocumentIds.RowRange"/>: ids are zero-padded, so they sort in id
    /// order, and they need no index); one side of the winner flag is a range of the entry view,
    /// <c>['c', campaign, winner, id]</c>. Both ends exclusive-ended, both keys unique.
    /// </summary>
    private sealed record EntryRange(string Table, long CampaignId, bool? Winner)
    {
        /// <summary>The entry view to read, or null for <c>_all_docs</c>.</summary>
        public string? View => Winner is null ? null : KeysView;

        public string Name => View is null ? $"_all_docs of {Table}" : $"view {EntriesDesign}/{View}";

        public string Start => Winner is null ? Json(DocumentIds.RowRange(Table, CampaignId).Start) : Prefix + "]";

        /// <summary>After every key of the range: the next campaign's first id, or an object (it sorts after numbers and booleans).</summary>
        public string End => Winner is null ? Json(DocumentIds.RowRange(Table, CampaignId).End) : Prefix + ",{}]";

        private string Prefix => string.Create(CultureInfo.InvariantCulture, $"[\"c\",{CampaignId},{(Winner == true ? "true" : "false")}");

        public static EntryRange For(string table, long campaignId, EntryFilter filter) => filter switch
        {
            EntryFilter.All => new(table, campaignId, null),
            EntryFilter.Winners => new(table, campaignId, true),
            EntryFilter.NonWinners => new(table, campaignId, false),
            _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "unknown filter"),
        };

        public string From(long id) => Winner is null
            ? Json(DocumentIds.ForRow(Table, CampaignId, id))
            : string.Create(CultureInfo.InvariantCulture, $"{Prefix},{id}]");

        /// <summary>The entry id a row is for: the digits after the document id's last ':', or the view key's last element.</summary>
        public long KeyId(string database, ViewRow row)
        {
            if (Winner is null)
            {
                var id = row.Id ?? "";
                return id.LastIndexOf(':') is var colon and >= 0 && long.TryParse(id.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var key)
                    ? key
                    : throw new ArchiveReadException(database, row.Id, $"the document id does not end with an integer id ({Name})");
            }

            return row.Key.ValueKind == JsonValueKind.Array && row.Key.GetArrayLength() > 0 && row.Key[row.Key.GetArrayLength() - 1] is { ValueKind: JsonValueKind.Number } last && last.TryGetInt64(out var value)
                ? value
                : throw new ArchiveReadException(database, row.Id, $"its key {row.Key.GetRawText()} in {Name} does not end with an integer id");
        }

        private static string Json(string text) => JsonSerializer.Serialize(text, CouchJsonContext.Default.String);
    }

    /// <summary>A campaign's cached reads. A read that failed is not kept: the next caller tries again.</summary>
    private sealed class CampaignCache
    {
        private readonly Lock _gate = new();
        private readonly Task<PageIndex>?[] _indexes = new Task<PageIndex>?[3];
        private readonly Task<IReadOnlyList<StatisticsPoint>>?[] _series = new Task<IReadOnlyList<StatisticsPoint>>?[3];
        private Task<EntryTotals>? _totals;

        public Task<EntryTotals> Totals(Func<Task<EntryTotals>> read)
        {
            lock (_gate)
            {
                return Reuse(ref _totals, read);
            }
        }

        public Task<PageIndex> Index(EntryFilter filter, Func<Task<PageIndex>> build)
        {
            lock (_gate)
            {
                return Reuse(ref _indexes[(int)filter], build);
            }
        }

        public Task<IReadOnlyList<StatisticsPoint>> Series(Granularity granularity, Func<Task<IReadOnlyList<StatisticsPoint>>> read)
        {
            lock (_gate)
            {
                return Reuse(ref _series[(int)granularity], read);
            }
        }

        private static Task<T> Reuse<T>(ref Task<T>? slot, Func<Task<T>> start)
        {
            if (slot is null || slot.IsFaulted || slot.IsCanceled)
            {
                slot = start();
            }

            return slot;
        }
    }
}
