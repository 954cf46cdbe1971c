using Archiver.Queries;
using Archiver.Source;
using Archiver.Web.Html;
using Archiver.Web.Input;
using Microsoft.Extensions.Options;

namespace Archiver.Web.Pages;

/// <summary>
/// <c>GET /campaigns/{id}</c>: totals, a chart over the range and granularity in the URL, and for a
/// contest its entries (all, winners or non-winners) paginated; for a vote, votes per choice and
/// per choice over time. Everything is read through <see cref="ICampaignQueries"/>.
/// </summary>
internal static class CampaignPage
{
    private static readonly string[] Filters = ["all", "winners", "non-winners"];

    private static readonly Granularity[] Granularities = [Granularity.Minute, Granularity.Hour, Granularity.Day];

    public static async Task HandleAsync(HttpContext context, string id, CampaignDirectory directory, ICampaignQueries queries, IOptions<WebOptions> web, IOptions<QueryOptions> limits)
    {
        var ct = context.RequestAborted;
        var campaignId = WebInput.Id(id, "campaign id");
        var campaign = await directory.FindAsync(campaignId, ct).ConfigureAwait(false);
        var body = CampaignSize.IsVote(campaign)
            ? await VoteAsync(context, campaign, queries, web.Value).ConfigureAwait(false)
            : await ContestAsync(context, campaign, queries, web.Value, limits.Value).ConfigureAwait(false);
        var page = Layout.Page(campaign.Name, Html.Html.Of($"""
            <p class="crumbs"><a href="/campaigns">Campaigns</a> ›</p>
            <h1 dir="auto">{campaign.Name}</h1>
            <dl class="facts">
            <dt>Id</dt><dd>{campaign.CampaignId}</dd><dt>Kind</dt><dd>{campaign.Kind}</dd>
            <dt>State</dt><dd><span class="state {CampaignDirectory.StateName(campaign.State)}">{CampaignDirectory.StateName(campaign.State)}</span></dd>
            <dt>Ends</dt><dd>{WebText.Time(campaign.EndsAt)}</dd>
            </dl>
            {body}
            """));
        await Responses.HtmlAsync(context, page, MaxAge(campaign, web.Value)).ConfigureAwait(false);
    }

    /// <summary>An archived campaign's answers never change and may be kept; anything else is revalidated.</summary>
    public static TimeSpan? MaxAge(CampaignStatus campaign, WebOptions web) => campaign.State == CampaignState.Archived ? web.ArchivedMaxAge : null;

    private static async Task<Html.Html> ContestAsync(HttpContext context, CampaignStatus campaign, ICampaignQueries queries, WebOptions web, QueryOptions limits)
    {
        var ct = context.RequestAborted;
        var query = context.Request.Query;

        // The day series is read from the rollups: it bounds the default range and gives the winners' total.
        var days = await queries.StatisticsAsync(campaign.CampaignId, Granularity.Day, WebInput.Earliest, WebInput.Latest, ct).ConfigureAwait(false);
        var range = ChartRange.Read(query, days.Select(d => d.BucketStart).ToList(), web.MaxChartBuckets);
        var winnerCount = days.Sum(d => d.Winners);
        var filter = WebInput.Choice(query, "filter", "all", "all", "winners", "non-winners");
        var pageNumber = WebInput.Page(query);
        var perPage = WebInput.PerPage(query, web.DefaultPerPage, limits.MaxPerPage);
        var total = await queries.EntryCountAsync(campaign.CampaignId, ct).ConfigureAwait(false);
        var series = await queries.StatisticsAsync(campaign.CampaignId, range.Granularity, range.Since, range.Until, ct).ConfigureAwait(false);
        var page = filter switch
        {
            "winners" => await WinnersPageAsync(queries, campaign.CampaignId, pageNumber, perPage, ct).ConfigureAwait(false),
            "non-winners" => await queries.NonWinnersAsync(campaign.CampaignId, PageRequest.Number(pageNumber, perPage), ct).ConfigureAwait(false),
            _ => await queries.EntriesAsync(campaign.CampaignId, PageRequest.Number(pageNumber, perPage), ct).ConfigureAwait(false),
        };
        var tabs = Filters.Select(f => f == filter
            ? Html.Html.Of($"""<em class="current">{f}</em>""")
            : Html.Html.Of($"""<a href="{Pager.Url(context.Request, ("filter", f == "all" ? null : f), ("page", null))}#entries">{f}</a>"""));
        return Html.Html.Of($"""
            <section class="totals">
            <div class="total"><span class="value">{WebText.Number(total)}</span> entries</div>
            <div class="total"><span class="value">{WebText.Number(winnerCount)}</span> winners</div>
            <div class="total"><span class="value">{WebText.Number(total - winnerCount)}</span> non-winners</div>
            </section>
            <section id="chart">
            <h2>Entries per {WebInput.Name(range.Granularity)}</h2>
            {RangeForm(context.Request, range)}
            {SvgChart.Bars(series, range.Since, range.Until, range.Granularity, $"entries and winners per {WebInput.Name(range.Granularity)}")}
            <p class="downloads">Download this series: {Downloads(campaign.CampaignId, "stats", range)}</p>
            </section>
            <section id="entries">
            <h2>Entries</h2>
            <nav class="tabs">{tabs}</nav>
            <p class="summary">{WebText.Number(page.TotalEntries)} {filter} · page {page.CurrentPage} of {page.TotalPages}</p>
            {EntryTable.Render(page.Items, showCampaign: false)}
            {Pager.Links(context.Request, page.CurrentPage, page.TotalPages, page.PerPage, web.PerPageChoices, "#entries")}
            </section>
            """);
    }

    /// <summary>The read API lists every winner at once (they are few); the page is cut from that list.</summary>
    private static async Task<Page<ContestEntry>> WinnersPageAsync(ICampaignQueries queries, long campaignId, int page, int perPage, CancellationToken cancellationToken)
    {
        var winners = await queries.WinnersAsync(campaignId, cancellationToken).ConfigureAwait(false);
        var items = winners.Skip((int)Math.Min(int.MaxValue, (long)(page - 1) * perPage)).Take(perPage).ToList();
        return new Page<ContestEntry>(items, page, perPage, winners.Count, null);
    }

    private static async Task<Html.Html> VoteAsync(HttpContext context, CampaignStatus campaign, ICampaignQueries queries, WebOptions web)
    {
        var ct = context.RequestAborted;
        var days = await queries.VoteSeriesAsync(campaign.CampaignId, Granularity.Day, WebInput.Earliest, WebInput.Latest, ct).ConfigureAwait(false);
        var range = ChartRange.Read(context.Request.Query, days.Select(d => d.BucketStart).ToList(), web.MaxChartBuckets);
        var totals = await queries.VoteTotalsAsync(campaign.CampaignId, ct).ConfigureAwait(false);
        var series = await queries.VoteSeriesAsync(campaign.CampaignId, range.Granularity, range.Since, range.Until, ct).ConfigureAwait(false);
        var all = totals.Sum(c => c.Votes);
        var rows = totals.Select(c => Html.Html.Of($"""
            <tr><td dir="auto">{c.Choice}</td><td class="num">{WebText.Number(c.Votes)}</td><td class="num">{(all == 0 ? 0 : 100.0 * c.Votes / all):0.0}%</td></tr>
            """));
        return Html.Html.Of($"""
            <section class="totals">
            <div class="total"><span class="value">{WebText.Number(all)}</span> votes</div>
            <div class="total"><span class="value">{totals.Count}</span> choices</div>
            </section>
            <section id="choices">
            <h2>Votes per choice</h2>
            <table class="list choices"><thead><tr><th>Choice</th><th>Votes</th><th>Share</th></tr></thead><tbody>{rows}</tbody></table>
            <p class="downloads">Download: {Downloads(campaign.CampaignId, "votes", null)}</p>
            </section>
            <section id="chart">
            <h2>Votes per {WebInput.Name(range.Granularity)}, per choice</h2>
            {RangeForm(context.Request, range)}
            {SvgChart.Lines(series, totals.Select(t => t.Choice).ToList(), range.Since, range.Until, range.Granularity, $"votes per {WebInput.Name(range.Granularity)} and choice")}
            <p class="downloads">Download this series: {Downloads(campaign.CampaignId, "vote-series", range)}</p>
            </section>
            """);
    }

    private static Html.Html RangeForm(HttpRequest request, ChartRange range)
    {
        var links = Granularities.Select(g => g == range.Granularity
            ? Html.Html.Of($"""<em class="current">{WebInput.Name(g)}</em>""")
            : Html.Html.Of($"""<a class="granularity" href="{Pager.Url(request, ("granularity", WebInput.Name(g)))}#chart">{WebInput.Name(g)}</a>"""));
        var kept = request.Query.Where(p => p.Key is "filter" or "per_page")
            .Select(p => Html.Html.Of($"""<input type="hidden" name="{p.Key}" value="{p.Value.ToString()}">"""));
        return Html.Html.Of($"""
            <nav class="granularities">per {links}</nav>
            <form class="range" method="get" action="{request.Path}#chart">
            <input type="hidden" name="granularity" value="{WebInput.Name(range.Granularity)}">{kept}
            <label>From (UTC) <input name="since" value="{WebInput.Format(range.Since)}" maxlength="40"></label>
            <label>to <input name="until" value="{WebInput.Format(range.Until)}" maxlength="40"></label>
            <button type="submit">Show</button>
            </form>
            """);
    }

    private static Html.Html Downloads(long campaignId, string series, ChartRange? range)
    {
        var query = range is null ? "" : $"?granularity={WebInput.Name(range.Granularity)}&since={WebInput.Format(range.Since)}&until={WebInput.Format(range.Until)}";
        return Html.Html.Of($"""<a href="/campaigns/{campaignId}/{series}.csv{query}">CSV</a> · <a href="/campaigns/{campaignId}/{series}.json{query}">JSON</a>""");
    }
}
