using Archiver.Queries;
using Archiver.Web.Html;

namespace Archiver.Web.Pages;

/// <summary>A table of entries; every message is user text and is encoded like all of it.</summary>
internal static class EntryTable
{
    public static Html.Html Render(IReadOnlyList<ContestEntry> entries, bool showCampaign)
    {
        var rows = entries.Select(e => Html.Html.Of($"""
            <tr{(e.Winner ? Html.Html.Raw(" class=\"winner\"") : Html.Html.Empty)}><td class="num">{e.Id}</td>{(showCampaign ? Html.Html.Of($"""<td class="num"><a href="/campaigns/{e.CampaignId}">{e.CampaignId}</a></td>""") : Html.Html.Empty)}<td class="num">{e.EntryNumber}</td><td>{(e.UserId is { } user ? Html.Html.Of($"""<a href="/users/{user}">{user}</a>""") : Html.Html.Raw("–"))}</td><td>{(e.Winner ? "winner" : "")}</td><td class="message" dir="auto">{e.Message}</td><td>{WebText.Time(e.CreatedAt)}</td></tr>
            """));
        var campaignHeader = showCampaign ? Html.Html.Raw("<th>Campaign</th>") : Html.Html.Empty;
        return Html.Html.Of($"""
            <table class="list entries">
            <thead><tr><th>Id</th>{campaignHeader}<th>Entry #</th><th>User</th><th>Winner</th><th>Message</th><th>Created (UTC)</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            """);
    }
}
