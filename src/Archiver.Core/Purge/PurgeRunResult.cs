using Archiver.Engine;

namespace Archiver.Purge;

/// <summary>Everything a purge run did, for the summary and the exit code.</summary>
public sealed record PurgeRunResult(IReadOnlyList<PurgeCampaignResult> Campaigns, TimeSpan Elapsed, bool DryRun, RunStopReason Stop)
    : RunReport<PurgeCampaignResult>(Campaigns, Elapsed, DryRun, Stop)
{
    public int Purged => Count(c => c.Outcome == PurgeOutcome.Purged);

    public int Skipped => Count(c => c.Outcome == PurgeOutcome.Skipped);

    public int Blocked => Count(c => c.Outcome == PurgeOutcome.Blocked);

    public int Failed => Count(c => c.Outcome == PurgeOutcome.Failed);

    public int Stopped => Count(c => c.Outcome == PurgeOutcome.Stopped);

    public int WouldPurge => Count(c => c.Outcome == PurgeOutcome.WouldPurge);

    public long Rows => Campaigns.Sum(c => c.Rows);

    public long RowsVerified => Campaigns.Sum(c => c.RowsVerified);

    public long RowsDeleted => Campaigns.Sum(c => c.RowsDeleted);

    public TimeSpan Deleting => TimeSpan.FromTicks(Campaigns.Sum(c => c.Deleting.Ticks));

    /// <summary>Rows deleted per second spent in delete transactions (pauses between batches excluded).</summary>
    public double DeleteRowsPerSecond => Deleting.TotalSeconds > 0 ? RowsDeleted / Deleting.TotalSeconds : 0;

    /// <summary>Rows deleted per second of the whole run, verification included.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? RowsDeleted / Elapsed.TotalSeconds : 0;

    /// <summary>Every campaign it reached was purged or skipped, and it was not stopped early.</summary>
    public bool Complete => Blocked == 0 && Failed == 0 && Stopped == 0 && Stop == RunStopReason.Completed;

    public string StopReasonText => StopText("maximum run time reached; run again to continue");
}
