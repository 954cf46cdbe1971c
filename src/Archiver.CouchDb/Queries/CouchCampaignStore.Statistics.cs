using System.Globalization;
using System.Text.Json;
using Archiver.Queries;

namespace Archiver.CouchDb.Queries;

public sealed partial class CouchCampaignStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<StatisticsPoint>> StatisticsAsync(long campaignId, Granularity granularity, DateTime since, DateTime until, CancellationToken cancellationToken)
    {
        if (TimeRange(campaignId, granularity, since, until) is not { } range)
        {
            return [];
        }

        // An archived campaign's rollups never change, and pouchdb-server reduces every rollup row of a
        // range at each query (about a second for a month of minutes): the campaign's whole series at
        // this granularity is read once, kept with its totals, and every range is cut from it.
        var database = Entries.EffectiveRollupDatabase;
        var cache = _campaigns.GetOrAdd(new CampaignKey(database, campaignId), static _ => new CampaignCache());
        var read = cache.Series(granularity, () => Task.Run(() => ReadSeriesAsync(database, campaignId, granularity, CancellationToken.None), CancellationToken.None));
        var series = await read.WaitAsync(cancellationToken).ConfigureAwait(false);
        return series.Where(p => p.BucketStart >= range.From && p.BucketStart < range.To).ToList();
    }

    /// <summary>Every bucket of the campaign with entries, at <paramref name="granularity"/>, in time order.</summary>
    private async Task<IReadOnlyList<StatisticsPoint>> ReadSeriesAsync(string database, long campaignId, Granularity granularity, CancellationToken cancellationToken)
    {
        var result = await _couch.QueryViewAsync(database, StatsDesign, "by_minute",
            new ViewQuery { StartKey = CampaignStartKey(campaignId), EndKey = CampaignEndKey(campaignId), GroupLevel = Level(granularity) }, cancellationToken).ConfigureAwait(false);
        var points = new List<StatisticsPoint>(result.Rows.Count);
        foreach (var row in result.Rows)
        {
            if (row.Value.ValueKind != JsonValueKind.Array || row.Value.GetArrayLength() < 2)
            {
                throw new ArchiveReadException(database, null, $"view stats/by_minute answered {row.Value.GetRawText()} for campaign {campaignId}, not [entries, winners]");
            }

            var count = Count(database, "stats/by_minute", row.Value[0]);
            if (count > 0)
            {
                points.Add(new StatisticsPoint(BucketStart(database, "stats/by_minute", row.Key, 1, granularity), count, Count(database, "stats/by_minute", row.Value[1])));
            }
        }

        // The view answers in key order, which is time order; sorted again because on CouchDB that
        // order is ICU's collation of the key's text, not ours.
        points.Sort((a, b) => a.BucketStart.CompareTo(b.BucketStart));
        return points;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ChoiceVotes>> VoteTotalsAsync(long campaignId, CancellationToken cancellationToken)
    {
        var database = Votes.EffectiveRollupDatabase;
        var result = await _couch.QueryViewAsync(database, StatsDesign, "choices_by_minute",
            new ViewQuery { StartKey = CampaignStartKey(campaignId), EndKey = CampaignEndKey(campaignId), GroupLevel = 2 }, cancellationToken).ConfigureAwait(false);
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in result.Rows)
        {
            var choice = Choice(database, row.Key);
            totals[choice] = totals.GetValueOrDefault(choice) + Count(database, "stats/choices_by_minute", row.Value);
        }

        return Ordered(totals);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<VoteBucket>> VoteSeriesAsync(long campaignId, Granularity granularity, DateTime since, DateTime until, CancellationToken cancellationToken)
    {
        if (TimeRange(campaignId, granularity, since, until) is not { } range)
        {
            return [];
        }

        var database = Votes.EffectiveRollupDatabase;
        var level = Level(granularity);

        // The totals per bucket are one key range of stats/by_minute ([c, day, hour, minute]). Per choice,
        // choices_by_minute puts the choice before the time ([c, choice, day, hour, minute]), so a time
        // range is a separate key range under every choice. One query per choice would cost a request per
        // distinct choice, and choices are free text (one per spelling: 'Yes', 'yes', 'Yes ' …), so
        // instead the campaign's rows are grouped at the bucket's level in one request and cut to the
        // range here. That reads every bucket of the campaign, which the rollups bound (one row per
        // choice and minute at most); CouchDB 3 answers it from stored reductions, pouchdb-server reduces
        // the campaign's rollup rows once, as VoteTotalsAsync does.
        var totalsRead = _couch.QueryViewAsync(database, StatsDesign, "by_minute",
            new ViewQuery { StartKey = range.Start, EndKey = range.End, InclusiveEnd = false, GroupLevel = level }, cancellationToken);
        var choicesRead = _couch.QueryViewAsync(database, StatsDesign, "choices_by_minute",
            new ViewQuery { StartKey = CampaignStartKey(campaignId), EndKey = CampaignEndKey(campaignId), GroupLevel = level + 1 }, cancellationToken);
        await Task.WhenAll(totalsRead, choicesRead).ConfigureAwait(false);

        var buckets = new SortedDictionary<DateTime, (long Votes, Dictionary<string, long> Choices)>();
        foreach (var row in (await totalsRead.ConfigureAwait(false)).Rows)
        {
            var votes = Count(database, "stats/by_minute", row.Value);
            if (votes > 0)
            {
                buckets[BucketStart(database, "stats/by_minute", row.Key, 1, granularity)] = (votes, new Dictionary<string, long>(StringComparer.Ordinal));
            }
        }

        foreach (var row in (await choicesRead.ConfigureAwait(false)).Rows)
        {
            var start = BucketStart(database, "stats/choices_by_minute", row.Key, 2, granularity);
            if (start < range.From || start >= range.To)
            {
                continue;
            }

            if (!buckets.TryGetValue(start, out var bucket))
            {
                throw new ArchiveReadException(database, null,
                    $"view stats/choices_by_minute has votes for campaign {campaignId} at {start:yyyy-MM-dd HH:mm} where stats/by_minute has none: a view is not built");
            }

            // Summed by the exact choice; the key's hex keeps distinct choices apart on every server.
            var choice = Choice(database, row.Key);
            bucket.Choices[choice] = bucket.Choices.GetValueOrDefault(choice) + Count(database, "stats/choices_by_minute", row.Value);
        }

        return buckets.Select(b => new VoteBucket(b.Key, b.Value.Votes, Ordered(b.Value.Choices))).ToList();
    }

    private static List<ChoiceVotes> Ordered(Dictionary<string, long> counts) =>
        counts.Where(c => c.Value > 0).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new ChoiceVotes(c.Key, c.Value)).ToList();

    /// <summary>
    /// The choice of a choices_by_minute key ([c, hex, …]): the view keys a choice as the hex of its
    /// UTF-16 code units, 4 digits each, so that no collation (CouchDB's ICU merges canonically
    /// equivalent text) can put two distinct choices into one group.
    /// </summary>
    private static string Choice(string database, JsonElement key)
    {
        if (key.ValueKind == JsonValueKind.Array && key.GetArrayLength() >= 2 && key[1].ValueKind == JsonValueKind.String
            && DecodeChoice(key[1].GetString()!) is { } choice)
        {
            return choice;
        }

        throw new ArchiveReadException(database, null, $"view stats/choices_by_minute answered the key {key.GetRawText()}, not [campaign, choice as UTF-16 hex, …]");
    }

    /// <summary>The text of 4 hex digits per UTF-16 code unit; null when <paramref name="hex"/> is not that.</summary>
    public static string? DecodeChoice(string hex)
    {
        if (hex.Length % 4 != 0)
        {
            return null;
        }

        var units = new char[hex.Length / 4];
        for (var i = 0; i < units.Length; i++)
        {
            if (!ushort.TryParse(hex.AsSpan(i * 4, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit))
            {
                return null;
            }

            units[i] = (char)unit;
        }

        return new string(units);
    }

    /// <summary>The group level of a bucket in stats/by_minute's key [c, "yyyy-MM-dd", "HH", "mm"].</summary>
    private static int Level(Granularity granularity) => granularity switch
    {
        Granularity.Day => 2,
        Granularity.Hour => 3,
        Granularity.Minute => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "unknown granularity"),
    };

    /// <summary>
    /// The key range [Start, End) of the buckets starting in [since, until) (both rounded up to a
    /// bucket start): keys as long as the bucket's group level. A shorter array sorts before every key
    /// it is a prefix of, so [c, "2026-11-20", "14"] is the first key of that hour and, as an exclusive
    /// end, leaves the whole hour out. Null when no bucket starts in the range.
    /// </summary>
    private static BucketRange? TimeRange(long campaignId, Granularity granularity, DateTime since, DateTime until)
    {
        var width = TimeBuckets.Width(granularity);
        var from = TimeBuckets.AsUtc(since);
        var to = TimeBuckets.AsUtc(until);
        if (from >= to || from > DateTime.MaxValue - width)
        {
            return null;
        }

        from = TimeBuckets.Ceiling(from, granularity);
        var open = to > DateTime.MaxValue - width;
        to = open ? DateTime.MaxValue : TimeBuckets.Ceiling(to, granularity);
        if (from >= to)
        {
            return null;
        }

        return new BucketRange(from, to, TimeKey(campaignId, from, granularity), open ? CampaignEndKey(campaignId) : TimeKey(campaignId, to, granularity));
    }

    private static string TimeKey(long campaignId, DateTime time, Granularity granularity) => granularity switch
    {
        Granularity.Day => string.Create(CultureInfo.InvariantCulture, $"[{campaignId},\"{time:yyyy'-'MM'-'dd}\"]"),
        Granularity.Hour => string.Create(CultureInfo.InvariantCulture, $"[{campaignId},\"{time:yyyy'-'MM'-'dd}\",\"{time:HH}\"]"),
        Granularity.Minute => string.Create(CultureInfo.InvariantCulture, $"[{campaignId},\"{time:yyyy'-'MM'-'dd}\",\"{time:HH}\",\"{time:mm}\"]"),
        _ => throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "unknown granularity"),
    };

    /// <summary>The UTC start of the bucket a grouped key names: its parts from <paramref name="at"/> on are day, hour, minute (as many as the granularity has).</summary>
    private static DateTime BucketStart(string database, string view, JsonElement key, int at, Granularity granularity)
    {
        var parts = granularity switch
        {
            Granularity.Day => 1,
            Granularity.Hour => 2,
            _ => 3,
        };
        if (key.ValueKind == JsonValueKind.Array && key.GetArrayLength() == at + parts
            && key[at].ValueKind == JsonValueKind.String
            && DateTime.TryParseExact(key[at].GetString(), "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var day)
            && (parts < 2 || TwoDigits(key[at + 1], 23) is not null)
            && (parts < 3 || TwoDigits(key[at + 2], 59) is not null))
        {
            var hour = parts >= 2 ? TwoDigits(key[at + 1], 23)!.Value : 0;
            var minute = parts >= 3 ? TwoDigits(key[at + 2], 59)!.Value : 0;
            return day.AddHours(hour).AddMinutes(minute);
        }

        throw new ArchiveReadException(database, null, $"view {view} answered the key {key.GetRawText()}, which names no {granularity.ToString().ToLowerInvariant()}");
    }

    private static int? TwoDigits(JsonElement part, int max) =>
        part.ValueKind == JsonValueKind.String && part.GetString() is { Length: 2 } text
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= max
            ? value
            : null;

    private sealed record BucketRange(DateTime From, DateTime To, string Start, string End);
}
