namespace Archiver.Queries;

/// <summary>
/// MySQL, which answers for campaigns that are not archived. Every read of a campaign takes the
/// campaign's <c>archived</c> flag and its rows from one consistent snapshot and throws
/// <see cref="CampaignArchivedException"/> when the flag is set in it: a purge deletes only rows
/// of a flagged campaign, so rows read beside a clear flag are every row the campaign has, and a
/// set flag means its archive was verified before it was set.
/// </summary>
public interface ILiveCampaignStore : ICampaignStore
{
    /// <summary>The <c>archived</c> flag of each campaign that exists (campaigns without a row are left out).</summary>
    Task<IReadOnlyDictionary<long, bool>> ArchivedFlagsAsync(IReadOnlyCollection<long> campaignIds, CancellationToken cancellationToken);

    /// <summary>Every entry of <paramref name="userId"/> in campaigns whose flag is clear, in one snapshot, in <see cref="UserEntryKey"/> order.</summary>
    Task<IReadOnlyList<ContestEntry>> LiveUserEntriesAsync(long userId, CancellationToken cancellationToken);
}
