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
            throw new InvalidInputException($"format '{format}' is not one of csv, json");
        }

        var campaign = await directory.FindAsync(campaignId, ct).ConfigureAwait(false);
        var maxAge = CampaignPage.MaxAge(campaign, web.Value);
        var name = $"campaign-{campaignId}-{series}";
        switch (series)
        {
            case "stats":
            {
                var range = Range(context, web.Value);
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
                var range = Range(context, web.Value);
                var buckets = await queries.VoteSeriesAsync(campaignId, range.Granularity, range.Since, range.Until, ct).ConfigureAwait(false);
                await WriteAsync(context, buckets, format, name, maxAge, "bucket_start,choice,votes",
                    buckets.SelectMany(b => b.Choices.Select(c => Row(Iso(b.BucketStart), c.Choice, c.Votes)))).ConfigureAwait(false);
                break;
            }

            default:
                throw new InvalidInputException($"series '{series}' is not one of stats, votes, vote-series");
        }
    }

    /// <summary>A download names its whole range; without one it is the campaign's whole life, bounded like a chart.</summary>
    public static ChartRange Range(HttpContext context, WebOptions web)
    {
        var query = context.Request.Query;
        var range = ChartRange.Read(query, [], web.MaxChartBuckets * 50);
        return WebInput.Time(query, "since") is null || WebInput.Time(query, "until") is null
            ? range with { Since = WebInput.Time(query, "since") ?? WebInput.Earliest, Until = WebInput.Time(query, "until") ?? WebInput.Latest }
            : range;
    }

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
