using Archiver.Options;
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

    public async Task<CampaignStatus> FindAsync(long campaignId, CancellationToken cancellationToken)
    {
        var all = await AllAsync(cancellationToken).ConfigureAwait(false);
        return all.FirstOrDefault(c => c.CampaignId == campaignId) ?? throw new Queries.CampaignNotFoundException(campaignId);
    }
}
