namespace Archiver.Purge;

/// <summary>Everything a purge run did, for the summary and the exit code.</summary>
public sealed record PurgeRunResult(IReadOnlyList<PurgeCampaignResult> Campaigns, TimeSpan Elapsed, bool DryRun, PurgeStopReason StopReason)
{
    public int Purged => Count(PurgeOutcome.Purged);

    public int Skipped => Count(PurgeOutcome.Skipped);

    public int Blocked => Count(PurgeOutcome.Blocked);

    public int Failed => Count(PurgeOutcome.Failed);

    public int Stopped => Count(PurgeOutcome.Stopped);

    public int WouldPurge => Count(PurgeOutcome.WouldPurge);

    public long Rows => Campaigns.Sum(c => c.Rows);

    public long RowsVerified => Campaigns.Sum(c => c.RowsVerified);

    public long RowsDeleted => Campaigns.Sum(c => c.RowsDeleted);

    public int Batches => Campaigns.Sum(c => c.Batches);

    public TimeSpan Verifying => TimeSpan.FromTicks(Campaigns.Sum(c => c.Verifying.Ticks));

    public TimeSpan Deleting => TimeSpan.FromTicks(Campaigns.Sum(c => c.Deleting.Ticks));

    /// <summary>Rows deleted per second spent in delete transactions (pauses between batches excluded).</summary>
    public double DeleteRowsPerSecond => Deleting.TotalSeconds > 0 ? RowsDeleted / Deleting.TotalSeconds : 0;

    /// <summary>Rows deleted per second of the whole run, verification included.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? RowsDeleted / Elapsed.TotalSeconds : 0;

    /// <summary>Every campaign it reached was purged or skipped, and it was not stopped early.</summary>
    public bool Complete => Blocked == 0 && Failed == 0 && Stopped == 0 && StopReason == PurgeStopReason.Completed;

    public string StopReasonText => StopReason switch
    {
        PurgeStopReason.MaxRuntime => "maximum run time reached; run again to continue",
        PurgeStopReason.Cancelled => "interrupted (Ctrl+C or SIGTERM); the next run carries on",
        PurgeStopReason.ServiceUnavailable => Campaigns.LastOrDefault(c => c.Outcome == PurgeOutcome.Failed)?.Reason ?? "a server is unavailable",
        _ => "all eligible campaigns processed",
    };

    private int Count(PurgeOutcome outcome) => Campaigns.Count(c => c.Outcome == outcome);
}
