using System.Globalization;
using System.Text;
using Archiver.Queries;
using Archiver.Web.Input;
using Microsoft.Extensions.Options;

namespace Archiver.Web.Pages;

/// <summary>
/// <c>GET /campaigns/{id}/{series}.{csv|json}</c>: each series a page charts, as a file. The JSON is
/// the API's (the read API's records); the CSV has one row per bucket (per bucket and choice for votes).
/// </summary>
internal static class SeriesDownloads
{
    public static async Task HandleAsync(HttpContext context, string id, string series, string format, CampaignDirectory directory, ICampaignQueries queries, IOptions<WebOptions> web)
    {
        var ct = context.RequestAborted;
        var campaignId = WebInput.Id(id, "campaign id");
        if (format is not ("csv" or "json"))
        {
            throw new InvalidInputException($"format '{WebInput.Shorten(format)}' is not one of csv, json");
        }

        var campaign = await directory.FindAsync(campaignId, ct).ConfigureAwait(false);
        var maxAge = CampaignPage.MaxAge(campaign, web.Value);
        var name = $"campaign-{campaignId}-{series}";
        switch (series)
        {
            case "stats":
            {
                var range = await RangeAsync(context, web.Value, EntryDays(queries, campaignId)).ConfigureAwait(false);
                var points = await queries.StatisticsAsync(campaignId, range.Granularity, range.Since, range.Until, ct).ConfigureAwait(false);
                await WriteAsync(context, points, format, name, maxAge, "bucket_start,entries,winners", points.Select(p => Row(Iso(p.BucketStart), p.Count, p.Winners))).ConfigureAwait(false);
                break;
            }

            case "votes":
            {
                var totals = await queries.VoteTotalsAsync(campaignId, ct).ConfigureAwait(false);
                await WriteAsync(context, totals, format, name, maxAge, "choice,votes", totals.Select(c => Row(c.Choice, c.Votes))).ConfigureAwait(false);
                break;
            }

            case "vote-series":
            {
                var range = await RangeAsync(context, web.Value, VoteDays(queries, campaignId)).ConfigureAwait(false);
                var buckets = await queries.VoteSeriesAsync(campaignId, range.Granularity, range.Since, range.Until, ct).ConfigureAwait(false);
                await WriteAsync(context, buckets, format, name, maxAge, "bucket_start,choice,votes",
                    buckets.SelectMany(b => b.Choices.Select(c => Row(Iso(b.BucketStart), c.Choice, c.Votes)))).ConfigureAwait(false);
                break;
            }

            default:
                throw new InvalidInputException($"series '{WebInput.Shorten(series)}' is not one of stats, votes, vote-series");
        }
    }

    /// <summary>
    /// The range of a series download or API answer: the one the URL names, else the campaign's whole
    /// life (its first to last day with data, read only then), and either way refused past
    /// <c>Web:MaxChartBuckets</c> × 50 buckets: the answer is built in memory, and a minute series
    /// from a lone <c>since</c> to the end of time would be many megabytes per request.
    /// </summary>
    public static async Task<ChartRange> RangeAsync(HttpContext context, WebOptions web, Func<CancellationToken, Task<IReadOnlyList<DateTime>>> days)
    {
        var query = context.Request.Query;
        IReadOnlyList<DateTime> known = query.ContainsKey("since") && query.ContainsKey("until") ? [] : await days(context.RequestAborted).ConfigureAwait(false);
        var range = ChartRange.Read(query, known, int.MaxValue);
        var limit = web.MaxChartBuckets * 50;
        return range.Buckets <= limit ? range : throw range.TooWide(limit);
    }

    /// <summary>The days with entries of a campaign, which bound an entry series without a range.</summary>
    public static Func<CancellationToken, Task<IReadOnlyList<DateTime>>> EntryDays(ICampaignQueries queries, long campaignId) => async ct =>
        [.. (await queries.StatisticsAsync(campaignId, Granularity.Day, WebInput.Earliest, WebInput.Latest, ct).ConfigureAwait(false)).Select(d => d.BucketStart)];

    /// <summary>The days with votes of a campaign, which bound a vote series without a range.</summary>
    public static Func<CancellationToken, Task<IReadOnlyList<DateTime>>> VoteDays(ICampaignQueries queries, long campaignId) => async ct =>
        [.. (await queries.VoteSeriesAsync(campaignId, Granularity.Day, WebInput.Earliest, WebInput.Latest, ct).ConfigureAwait(false)).Select(d => d.BucketStart)];

    private static Task WriteAsync<T>(HttpContext context, T value, string format, string name, TimeSpan? maxAge, string header, IEnumerable<string> rows)
    {
        if (format == "json")
        {
            return Responses.JsonAsync(context, value, maxAge);
        }

        var csv = new StringBuilder(header).Append("\r\n");
        foreach (var row in rows)
        {
            csv.Append(row).Append("\r\n");
        }

        return Responses.CsvAsync(context, csv.ToString(), name + ".csv", maxAge);
    }

    private static string Iso(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Row(params object[] cells) => string.Join(',', cells.Select(c => Cell(Convert.ToString(c, CultureInfo.InvariantCulture) ?? "")));

    /// <summary>
    /// RFC 4180 quoting, and a leading quote on text a spreadsheet would run as a formula (a choice
    /// is user text: <c>=HYPERLINK(…)</c> must stay text).
    /// </summary>
    public static string Cell(string text)
    {
        if (text.Length > 0 && "=+-@\t\r".Contains(text[0], StringComparison.Ordinal) && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny("\",\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
