using System.Globalization;
using Archiver.Queries;

namespace Archiver.Web.Html;

/// <summary>
/// Charts drawn on the server as inline SVG: no script, nothing fetched. Each bucket with data is
/// one bar (or one point of a line) placed by its time, so empty buckets show as gaps; each mark
/// has a <c>title</c> the browser shows on hover.
/// </summary>
internal static class SvgChart
{
    private const double Width = 960;
    private const double Height = 260;
    private const double Left = 56;
    private const double Right = 12;
    private const double Top = 12;
    private const double Bottom = 28;
    private const int Palette = 8;

    /// <summary>One bar per point: the count, with the winners drawn over it.</summary>
    public static Html Bars(IReadOnlyList<StatisticsPoint> points, DateTime since, DateTime until, Granularity granularity, string label)
    {
        var (slots, slot) = Slots(since, until, granularity);
        var max = Math.Max(1, points.Count == 0 ? 1 : points.Max(p => p.Count));
        var barWidth = Math.Max(1, (slot * 0.8) - 0.5);
        var marks = points.Select(p =>
        {
            var x = Left + (Index(p.BucketStart, since, granularity) * slot) + (slot * 0.1);
            var h = (Height - Top - Bottom) * p.Count / max;
            var w = (Height - Top - Bottom) * p.Winners / max;
            return Html.Of($"""<g class="bar"><title>{WebText.Bucket(p.BucketStart, granularity)}: {p.Count} entries, {p.Winners} winners</title><rect class="entries" x="{F(x)}" y="{F(Height - Bottom - h)}" width="{F(barWidth)}" height="{F(h)}"/><rect class="winners" x="{F(x)}" y="{F(Height - Bottom - w)}" width="{F(barWidth)}" height="{F(w)}"/></g>""");
        });
        return Frame(label, points.Count, slots, max, since, until, granularity, Html.Join(marks), Html.Raw("""<span class="key entries">entries</span> <span class="key winners">winners</span>"""));
    }

    /// <summary>One line per choice, a point per bucket with votes for it.</summary>
    public static Html Lines(IReadOnlyList<VoteBucket> buckets, IReadOnlyList<string> choices, DateTime since, DateTime until, Granularity granularity, string label)
    {
        var (slots, slot) = Slots(since, until, granularity);
        var max = Math.Max(1, buckets.SelectMany(b => b.Choices).Select(c => c.Votes).DefaultIfEmpty(1).Max());
        var lines = new List<Html>();
        var keys = new List<Html>();
        for (var i = 0; i < choices.Count; i++)
        {
            var choice = choices[i];
            var color = i % Palette;
            var points = buckets
                .Select(b => (b.BucketStart, Votes: b.Choices.FirstOrDefault(c => string.Equals(c.Choice, choice, StringComparison.Ordinal))?.Votes))
                .Where(p => p.Votes is not null)
                .Select(p => (X: Left + (Index(p.BucketStart, since, granularity) * slot) + (slot / 2), Y: Height - Bottom - ((Height - Top - Bottom) * p.Votes!.Value / max), p.BucketStart, Votes: p.Votes!.Value))
                .ToList();
            var path = string.Join(' ', points.Select(p => F(p.X) + "," + F(p.Y)));
            var dots = points.Select(p => Html.Of($"""<circle class="point" cx="{F(p.X)}" cy="{F(p.Y)}" r="3"><title>{choice}, {WebText.Bucket(p.BucketStart, granularity)}: {p.Votes} votes</title></circle>"""));
            lines.Add(Html.Of($"""<g class="series c{color}"><polyline points="{path}"/>{dots}</g>"""));
            keys.Add(Html.Of($"""<span class="key c{color}">{choice}</span> """));
        }

        return Frame(label, buckets.Count, slots, max, since, until, granularity, Html.Join(lines), Html.Join(keys));
    }

    private static Html Frame(string label, int marks, long slots, long max, DateTime since, DateTime until, Granularity granularity, Html body, Html legend) => Html.Of($"""
        <figure class="chart">
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {F(Width)} {F(Height)}" role="img" aria-label="{label}" data-marks="{marks}" data-buckets="{slots}">
        <line class="axis" x1="{F(Left)}" y1="{F(Height - Bottom)}" x2="{F(Width - Right)}" y2="{F(Height - Bottom)}"/>
        <line class="axis" x1="{F(Left)}" y1="{F(Top)}" x2="{F(Left)}" y2="{F(Height - Bottom)}"/>
        <text class="tick" x="{F(Left - 6)}" y="{F(Top + 10)}" text-anchor="end">{max}</text>
        <text class="tick" x="{F(Left - 6)}" y="{F(Height - Bottom)}" text-anchor="end">0</text>
        <text class="tick" x="{F(Left)}" y="{F(Height - 8)}">{WebText.Bucket(since, granularity)}</text>
        <text class="tick" x="{F(Width - Right)}" y="{F(Height - 8)}" text-anchor="end">{WebText.Bucket(until, granularity)}</text>
        {body}
        </svg>
        <figcaption>{label} · {marks} of {slots} {WebText.Plural(granularity)} with data · {legend}</figcaption>
        </figure>
        """);

    private static (long Slots, double Slot) Slots(DateTime since, DateTime until, Granularity granularity)
    {
        var slots = Math.Max(1, Index(until, since, granularity));
        return (slots, (Width - Left - Right) / slots);
    }

    private static long Index(DateTime time, DateTime since, Granularity granularity) =>
        (TimeBuckets.Floor(time, granularity) - TimeBuckets.Floor(since, granularity)).Ticks / TimeBuckets.Width(granularity).Ticks;

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
