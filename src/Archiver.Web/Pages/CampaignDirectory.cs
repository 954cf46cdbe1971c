using Archiver.Options;
using Archiver.Queries;
using Archiver.Source;
using Microsoft.Extensions.Options;

namespace Archiver.Web.Pages;

/// <summary>
/// The campaigns and where each stands, as <c>archiver archive status</c> tells them (the run
/// journal): the campaigns table is never purged, so this list is the same before and after archiving.
/// </summary>
internal sealed class CampaignDirectory(IRunJournal journal, IOptions<ArchiveOptions> archive)
{
    public static readonly string[] Kinds = ["contest", "vote"];

    public static string StateName(CampaignState state) => state.ToString().ToLowerInvariant();

    public static string[] StateNames => [.. Enum.GetValues<CampaignState>().Select(StateName)];

    public Task<IReadOnlyList<CampaignStatus>> AllAsync(CancellationToken cancellationToken) =>
        journal.GetStatusAsync(archive.Value.CompletedAfter, cancellationToken);

    /// <summary>The campaigns matching every given filter, newest first.</summary>
    public async Task<IReadOnlyList<CampaignStatus>> ListAsync(string? state, string? kind, string? name, CancellationToken cancellationToken)
    {
        var all = await AllAsync(cancellationToken).ConfigureAwait(false);
        return all
            .Where(c => state is null || StateName(c.State) == state)
            .Where(c => kind is null || string.Equals(c.Kind, kind, StringComparison.Ordinal))
            .Where(c => name is null || c.Name.Contains(name, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(c => c.CampaignId)
            .ToList();
    }

    /// <summary>The page of campaigns a request asks for (<c>state</c>, <c>kind</c>, <c>q</c>, <c>page</c>, <c>per_page</c>), for the page and the API alike.</summary>
    public async Task<(Page<CampaignStatus> Page, string? State, string? Kind, string? Name)> PageAsync(IQueryCollection query, int defaultPerPage, int maxPerPage, CancellationToken cancellationToken)
    {
        var state = Input.WebInput.Choice(query, "state", "", StateNames);
        var kind = Input.WebInput.Choice(query, "kind", "", Kinds);
        var name = Input.WebInput.Text(query, "q", 100)?.Trim();
        var page = Input.WebInput.Page(query);
        var perPage = Input.WebInput.PerPage(query, defaultPerPage, maxPerPage);
        var matching = await ListAsync(state.Length == 0 ? null : state, kind.Length == 0 ? null : kind, name, cancellationToken).ConfigureAwait(false);
        var rows = matching.Skip((int)Math.Min(int.MaxValue, (long)(page - 1) * perPage)).Take(perPage).ToList();
        return (new Page<CampaignStatus>(rows, page, perPage, matching.Count, null), state.Length == 0 ? null : state, kind.Length == 0 ? null : kind, name);
    }

    public async Task<CampaignStatus> FindAsync(long campaignId, CancellationToken cancellationToken)
    {
        var all = await AllAsync(cancellationToken).ConfigureAwait(false);
        return all.FirstOrDefault(c => c.CampaignId == campaignId) ?? throw new Queries.CampaignNotFoundException(campaignId);
    }
}
