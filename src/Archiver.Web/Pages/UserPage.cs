using Archiver.Queries;
using Archiver.Web.Html;
using Archiver.Web.Input;
using Microsoft.Extensions.Options;

namespace Archiver.Web.Pages;

/// <summary><c>GET /users/{id}</c>: the user's entries across every campaign, live and archived merged, newest first.</summary>
internal static class UserPage
{
    public static async Task HandleAsync(HttpContext context, string id, ICampaignQueries queries, IOptions<WebOptions> web, IOptions<QueryOptions> limits)
    {
        var userId = WebInput.Id(id, "user id");
        var query = context.Request.Query;
        var request = PageRequest.Number(WebInput.Page(query), WebInput.PerPage(query, web.Value.DefaultPerPage, limits.Value.MaxPerPage));
        var page = await queries.UserEntriesAsync(userId, request, context.RequestAborted).ConfigureAwait(false);
        var body = Html.Html.Of($"""
            <p class="crumbs"><a href="/campaigns">Campaigns</a> ›</p>
            <h1>User {userId}</h1>
            <p class="summary">{WebText.Number(page.TotalEntries)} entries · page {page.CurrentPage} of {page.TotalPages}</p>
            {EntryTable.Render(page.Items, showCampaign: true)}
            {Pager.Links(context.Request, page.CurrentPage, page.TotalPages, page.PerPage, web.Value.PerPageChoices)}
            """);
        await Responses.HtmlAsync(context, Layout.Page($"User {userId}", body), null).ConfigureAwait(false);
    }
}
