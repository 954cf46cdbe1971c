using Archiver.Queries;
using Archiver.Web.Input;
using Archiver.Web.Pages;
using Microsoft.Extensions.Options;

namespace Archiver.Web.Api;

/// <summary>
/// <c>/api</c>: the read API as JSON, mirroring <c>archiver query</c> (the same records, pages and
/// tokens, serialised the same way), plus the campaign list. An archived campaign's answers carry
/// a validator and may be kept; live ones are revalidated.
/// </summary>
internal static class ApiEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Archiver");
        api.MapGet("/campaigns", ListAsync).WithName("ListCampaigns").WithSummary("Campaigns, newest first; filter by state and kind, search by name.")
            .Produces<Page<ApiCampaign>>().Produces<ApiError>(400);
        api.MapGet("/campaigns/{id}", CampaignAsync).WithName("GetCampaign").WithSummary("A campaign's state and size.")
            .Produces<ApiCampaign>().Produces<ApiError>(400).Produces<ApiError>(404);
        api.MapGet("/campaigns/{id}/entries", EntriesAsync).WithName("GetEntries")
            .WithSummary("A page of a campaign's entries in id order (filter=all|non-winners), or every winner (filter=winners); page and per_page, or after=<next_token>.")
            .Produces<Page<ContestEntry>>().Produces<ApiError>(400).Produces<ApiError>(404);
        api.MapGet("/campaigns/{id}/count", CountAsync).WithName("GetEntryCount").WithSummary("How many entries a campaign has.")
            .Produces<long>().Produces<ApiError>(400).Produces<ApiError>(404);
        api.MapGet("/campaigns/{id}/stats", StatsAsync).WithName("GetStatistics")
            .WithSummary("Entries and winners per bucket (granularity=minute|hour|day), whole buckets overlapping [since, until).")
            .Produces<IReadOnlyList<StatisticsPoint>>().Produces<ApiError>(400).Produces<ApiError>(404);
        api.MapGet("/campaigns/{id}/votes", VotesAsync).WithName("GetVotes")
            .WithSummary("Votes per choice, or with granularity the vote series.")
            .Produces<IReadOnlyList<ChoiceVotes>>().Produces<IReadOnlyList<VoteBucket>>().Produces<ApiError>(400).Produces<ApiError>(404);
        api.MapGet("/users/{id}/entries", UserAsync).WithName("GetUserEntries")
            .WithSummary("A page of a user's entries across every campaign, newest first; page and per_page, or after=<next_token>.")
            .Produces<Page<ContestEntry>>().Produces<ApiError>(400);
    }

    private static async Task ListAsync(HttpContext context, CampaignDirectory directory, IOptions<WebOptions> web, IOptions<QueryOptions> limits)
    {
        var (page, _, _, _) = await directory.PageAsync(context.Request.Query, web.Value.DefaultPerPage, limits.Value.MaxPerPage, context.RequestAborted).ConfigureAwait(false);
        var campaigns = new Page<ApiCampaign>([.. page.Items.Select(ApiCampaign.From)], page.CurrentPage, page.PerPage, page.TotalEntries, page.NextToken);
        await Responses.JsonAsync(context, campaigns, null).ConfigureAwait(false);
    }

    private static async Task CampaignAsync(HttpContext context, string id, CampaignDirectory directory, IOptions<WebOptions> web)
    {
        var campaign = await directory.FindAsync(WebInput.Id(id, "campaign id"), context.RequestAborted).ConfigureAwait(false);
        await Responses.JsonAsync(context, ApiCampaign.From(campaign), CampaignPage.MaxAge(campaign, web.Value)).ConfigureAwait(false);
    }

    private static Task EntriesAsync(HttpContext context, string id, CampaignDirectory directory, ICampaignQueries queries, IOptions<WebOptions> web, IOptions<QueryOptions> limits) =>
        AnswerAsync(context, id, directory, web, (campaignId, query, ct) => WebInput.Choice(query, "filter", "all", "all", "winners", "non-winners") switch
        {
            "winners" => Boxed(queries.WinnersAsync(campaignId, ct)),
            "non-winners" => Boxed(queries.NonWinnersAsync(campaignId, WebInput.PageRequest(query, web.Value.DefaultPerPage, limits.Value.MaxPerPage), ct)),
            _ => Boxed(queries.EntriesAsync(campaignId, WebInput.PageRequest(query, web.Value.DefaultPerPage, limits.Value.MaxPerPage), ct)),
        });

    private static Task CountAsync(HttpContext context, string id, CampaignDirectory directory, ICampaignQueries queries, IOptions<WebOptions> web) =>
        AnswerAsync(context, id, directory, web, (campaignId, _, ct) => Boxed(queries.EntryCountAsync(campaignId, ct)));

    private static Task StatsAsync(HttpContext context, string id, CampaignDirectory directory, ICampaignQueries queries, IOptions<WebOptions> web) =>
        AnswerAsync(context, id, directory, web, async (campaignId, _, ct) =>
        {
            var range = await SeriesDownloads.RangeAsync(context, web.Value, SeriesDownloads.EntryDays(queries, campaignId)).ConfigureAwait(false);
            return await queries.StatisticsAsync(campaignId, range.Granularity, range.Since, range.Until, ct).ConfigureAwait(false);
        });

    private static Task VotesAsync(HttpContext context, string id, CampaignDirectory directory, ICampaignQueries queries, IOptions<WebOptions> web) =>
        AnswerAsync(context, id, directory, web, async (campaignId, query, ct) =>
        {
            if (!query.ContainsKey("granularity"))
            {
                return await queries.VoteTotalsAsync(campaignId, ct).ConfigureAwait(false);
            }

            var range = await SeriesDownloads.RangeAsync(context, web.Value, SeriesDownloads.VoteDays(queries, campaignId)).ConfigureAwait(false);
            return await queries.VoteSeriesAsync(campaignId, range.Granularity, range.Since, range.Until, ct).ConfigureAwait(false);
        });

    private static async Task UserAsync(HttpContext context, string id, ICampaignQueries queries, IOptions<WebOptions> web, IOptions<QueryOptions> limits)
    {
        var userId = WebInput.Id(id, "user id");
        var request = WebInput.PageRequest(context.Request.Query, web.Value.DefaultPerPage, limits.Value.MaxPerPage);
        var page = await queries.UserEntriesAsync(userId, request, context.RequestAborted).ConfigureAwait(false);
        await Responses.JsonAsync(context, page, null).ConfigureAwait(false);
    }

    /// <summary>Reads the campaign's state first, so that an archived campaign's answer may be cached.</summary>
    private static async Task AnswerAsync(
        HttpContext context, string id, CampaignDirectory directory, IOptions<WebOptions> web, Func<long, IQueryCollection, CancellationToken, Task<object?>> answer)
    {
        var campaign = await directory.FindAsync(WebInput.Id(id, "campaign id"), context.RequestAborted).ConfigureAwait(false);
        var value = await answer(campaign.CampaignId, context.Request.Query, context.RequestAborted).ConfigureAwait(false);
        await Responses.JsonAsync(context, value, CampaignPage.MaxAge(campaign, web.Value)).ConfigureAwait(false);
    }

    private static async Task<object?> Boxed<T>(Task<T> task) => await task.ConfigureAwait(false);
}
