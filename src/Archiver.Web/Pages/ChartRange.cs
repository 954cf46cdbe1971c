using Archiver.Queries;
using Archiver.Web.Input;

namespace Archiver.Web.Pages;

/// <summary>
/// The range and granularity of a chart or series: from the URL (so a page can be bookmarked), else
/// the campaign's own days with data. A range of more than <c>Web:MaxChartBuckets</c> buckets is
/// refused when the URL asked for it, and cut to its first buckets when it was the default.
/// </summary>
internal sealed record ChartRange(Granularity Granularity, DateTime Since, DateTime Until, bool Explicit)
{
    public long Buckets => (TimeBuckets.Ceiling(Until, Granularity) - TimeBuckets.Floor(Since, Granularity)).Ticks / TimeBuckets.Width(Granularity).Ticks;

    /// <summary>The range the request names; <paramref name="known"/> are the campaign's days with data, in order.</summary>
    public static ChartRange Read(IQueryCollection query, IReadOnlyList<DateTime> known, int maxBuckets)
    {
        var granularity = WebInput.Granularity(query, Granularity.Hour);
        var since = WebInput.Time(query, "since");
        var until = WebInput.Time(query, "until");
        if (since is { } s && until is { } u && u < s)
        {
            throw new InvalidInputException($"until ({WebInput.Format(u)}) is before since ({WebInput.Format(s)})");
        }

        if (since is null || until is null)
        {
            // The campaign's first and last day with data bound the default range.
            var first = known.Count == 0 ? DateTime.UnixEpoch : known[0];
            var last = known.Count == 0 ? DateTime.UnixEpoch : known[^1].AddDays(1);
            since ??= TimeBuckets.Floor(until is { } end && end < first ? end : first, granularity);
            until ??= since.Value > last ? since.Value : TimeBuckets.Ceiling(last, granularity);
        }

        var range = new ChartRange(granularity, since.Value, until.Value, query.ContainsKey("since") && query.ContainsKey("until"));
        if (range.Buckets <= maxBuckets)
        {
            return range;
        }

        if (range.Explicit)
        {
            throw range.TooWide(maxBuckets);
        }

        return range with { Until = TimeBuckets.Floor(range.Since, granularity) + (TimeBuckets.Width(granularity) * maxBuckets) };
    }

    /// <summary>The 400 for a range of more buckets than <paramref name="maxBuckets"/>.</summary>
    public InvalidInputException TooWide(int maxBuckets) => new(
        $"the range {WebInput.Format(Since)} to {WebInput.Format(Until)} holds {Buckets} {WebInput.Name(Granularity)} buckets; at most {maxBuckets}: narrow since and until or choose a coarser granularity");
}
