namespace Archiver.Engine;

/// <summary>Everything an archive run did, for the summary and the exit code.</summary>
public sealed record ArchiveRunResult(IReadOnlyList<CampaignResult> Campaigns, TimeSpan Elapsed, bool DryRun, RunStopReason Stop, TimeSpan? MaxRuntime = null)
    : RunReport<CampaignResult>(Campaigns, Elapsed, DryRun, Stop)
{
    /// <summary>The time limit that stopped the run, or null.</summary>
    public TimeSpan? TimeLimitReached => Stop == RunStopReason.TimeLimit ? MaxRuntime : null;

    /// <summary>Why the run ended, for the summary.</summary>
    public string StopReason => StopText($"time limit reached (--max-runtime {TimeLimitReached}); the next run carries on");

    /// <summary>The time limit stopped the run before every eligible campaign was done.</summary>
    public bool Incomplete => TimeLimitReached is not null;

    public int Archived => Count(c => c.Outcome == CampaignOutcome.Archived);

    public int Skipped => Count(c => c.Outcome == CampaignOutcome.Skipped);

    public int Failed => Count(c => c.Outcome == CampaignOutcome.Failed);

    public int WouldArchive => Count(c => c.Outcome == CampaignOutcome.WouldArchive);

    public int Stopped => Count(c => c.Outcome == CampaignOutcome.Stopped);

    public int Interrupted => Count(c => c.Outcome == CampaignOutcome.Interrupted);

    public long RowsRead => Campaigns.Sum(c => c.RowsRead);

    public BatchTotals Documents => Campaigns.Aggregate(default(BatchTotals), (sum, c) => sum + c.Documents);

    public BatchTotals Rollups => Campaigns.Aggregate(default(BatchTotals), (sum, c) => sum + c.Rollups);

    /// <summary>Documents written or confirmed unchanged per second of the whole run.</summary>
    public double DocumentsPerSecond =>
        Elapsed.TotalSeconds > 0 ? (Documents.Written + Documents.Unchanged) / Elapsed.TotalSeconds : 0;

    public bool Succeeded => Failed == 0;
}
