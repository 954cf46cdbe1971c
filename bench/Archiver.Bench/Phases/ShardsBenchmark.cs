using System.Globalization;

namespace Archiver.Bench.Phases;

/// <summary>
/// The shards scenario (issue 20): one campaign archived from an empty archive four times, unsharded
/// and then split into <see cref="Shards"/> shards copied 1, 2 and 4 at a time by one process
/// (<c>archive run --parallel K</c>), each run measured as a child process. Sharding adds a final pass
/// over the campaign (rows beside ids and revisions) and a shard plan; on a single small server the
/// extra workers share the same cores, so the figure is the overhead, while on a cluster each shard's
/// writes land on other nodes.
/// </summary>
internal static class ShardsBenchmark
{
    public const int Shards = 8;

    public static readonly int[] Workers = [1, 2, 4];

    /// <summary>Runs the four measurements; <c>reset</c> deletes the scenario's CouchDB databases and un-archives the campaign before each.</summary>
    public static async Task<IReadOnlyList<ArchiveResult>> RunAsync(
        string cliPath, SeededCampaign campaign, IReadOnlyDictionary<string, string> environment, Func<CancellationToken, Task> reset, Func<CancellationToken, Task<bool>> flagged,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(reset);
        var shardRows = (campaign.Entries + Shards - 1) / Shards;
        var results = new List<ArchiveResult>();
        foreach (var workers in (int[])[0, .. Workers])
        {
            await reset(cancellationToken).ConfigureAwait(false);
            var settings = new Dictionary<string, string>(environment)
            {
                ["Archive__ShardRows"] = (workers == 0 ? 0 : shardRows).ToString(CultureInfo.InvariantCulture),
            };
            var label = workers == 0 ? "shards: unsharded" : string.Create(CultureInfo.InvariantCulture, $"shards: {Shards} shards, {workers} at once");
            results.Add(await ArchiveBenchmark.RunAsync(label, cliPath, campaign.Id, campaign.Entries, settings, flagged, cancellationToken,
                "--parallel", Math.Max(workers, 1).ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false));
        }

        return results;
    }
}
