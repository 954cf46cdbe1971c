using Archiver.Queries;
using Archiver.Web.Html;
using Microsoft.Extensions.Options;

namespace Archiver.Web.Pages;

/// <summary><c>GET /campaigns</c>: every campaign, newest first, filtered by state and kind and searched by name.</summary>
internal static class CampaignsPage
{
    public static async Task HandleAsync(HttpContext context, CampaignDirectory directory, ICampaignQueries queries, IOptions<WebOptions> web, IOptions<QueryOptions> limits)
    {
        var ct = context.RequestAborted;
        // Each row costs a count (a COUNT(*) on the busy MySQL while live, a view query once archived):
        // one anonymous request may ask for at most the largest page the pager offers, not Queries:MaxPerPage.
        var maxPerPage = Math.Min(limits.Value.MaxPerPage, web.Value.PerPageChoices.Max());
        var (result, state, kind, name) = await directory.PageAsync(context.Request.Query, Math.Min(web.Value.DefaultPerPage, maxPerPage), maxPerPage, ct).ConfigureAwait(false);
        var perPage = result.PerPage;
        var cells = new List<Html.Html>();
        foreach (var campaign in result.Items)
        {
            var count = await CampaignSize.CountAsync(queries, campaign, ct).ConfigureAwait(false);
            cells.Add(Html.Html.Of($"""
                <tr><td class="num">{campaign.CampaignId}</td><td><a href="/campaigns/{campaign.CampaignId}">{campaign.Name}</a></td><td>{campaign.Kind}</td>
                <td>{WebText.Time(campaign.EndsAt)}</td><td class="archived-at">{WebText.Time(campaign.ArchivedAt)}</td><td class="num">{WebText.Number(count)}</td>
                <td><span class="state {CampaignDirectory.StateName(campaign.State)}">{CampaignDirectory.StateName(campaign.State)}</span></td></tr>
                """));
        }

        var stateOptions = CampaignDirectory.StateNames.Select(s => Option(s, state));
        var kindOptions = CampaignDirectory.Kinds.Select(k => Option(k, kind));
        var body = Html.Html.Of($"""
            <h1>Campaigns</h1>
            <form class="filters" method="get" action="/campaigns">
            <label>State <select name="state"><option value="">any</option>{stateOptions}</select></label>
            <label>Kind <select name="kind"><option value="">any</option>{kindOptions}</select></label>
            <label>Name <input type="search" name="q" maxlength="100" value="{name}"></label>
            <button type="submit">Filter</button>
            </form>
            <p class="summary">{WebText.Number(result.TotalEntries)} campaigns · page {result.CurrentPage} of {result.TotalPages}</p>
            <table class="list campaigns">
            <thead><tr><th>Id</th><th>Name</th><th>Kind</th><th>Ends</th><th>Archived</th><th>Entries</th><th>State</th></tr></thead>
            <tbody>{cells}</tbody>
            </table>
            {Pager.Links(context.Request, result.CurrentPage, result.TotalPages, perPage, web.Value.PerPageChoices)}
            """);
        await Responses.HtmlAsync(context, Layout.Page("Campaigns", body), null).ConfigureAwait(false);
    }

    private static Html.Html Option(string value, string? selected) => value == selected
        ? Html.Html.Of($"""<option selected>{value}</option>""")
        : Html.Html.Of($"""<option>{value}</option>""");
}
