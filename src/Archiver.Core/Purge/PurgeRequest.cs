namespace Archiver.Purge;

/// <summary>What <c>archiver purge</c> (or <c>archive run</c> with <c>Archive:PurgeAfter</c>) asked for.</summary>
/// <param name="CampaignId">Only this campaign (it must be archived); null for every eligible one.</param>
/// <param name="OlderThan">Only campaigns archived at least this long ago by the database's clock; null for any archived campaign.</param>
/// <param name="DryRun">Report what would be deleted and write nothing to either database.</param>
/// <param name="BatchSize">Rows per delete transaction; null for <c>Purge:BatchSize</c>.</param>
/// <param name="Sleep">Pause between batches; null for <c>Purge:Sleep</c>.</param>
/// <param name="MaxRuntime">Stop cleanly between batches once the run has lasted this long; null for no limit.</param>
/// <param name="IneligibleIsSkipped">
/// For <paramref name="CampaignId"/>: a campaign that is not (yet) eligible is skipped with its reason
/// instead of failing. <c>archive run --campaign</c> with <c>Archive:PurgeAfter</c> sets it: a campaign
/// it could not archive, or archived too recently, is no error of the purge step.
/// </param>
public sealed record PurgeRequest(
    long? CampaignId = null,
    TimeSpan? OlderThan = null,
    bool DryRun = false,
    int? BatchSize = null,
    TimeSpan? Sleep = null,
    TimeSpan? MaxRuntime = null,
    bool IneligibleIsSkipped = false);
