namespace Archiver.Engine;

/// <summary>Everything a run did, for the summary and the exit code.</summary>
public sealed record ArchiveRunResult(IReadOnlyList<CampaignResult> Campaigns, TimeSpan Elapsed, bool DryRun, bool Cancelled, TimeSpan? TimeLimitReached = null, string? ServiceUnavailable = null)
{
    /// <summary>Why the run ended, for the summary.</summary>
    public string StopReason => Cancelled ? "interrupted (Ctrl+C or SIGTERM); the next run carries on"
        : ServiceUnavailable is { } unavailable ? unavailable
        : TimeLimitReached is { } limit ? $"time limit reached (--max-runtime {limit}); the next run carries on"
        : "all eligible campaigns processed";

    /// <summary>The time limit stopped the run before every eligible campaign was done.</summary>
    public bool Incomplete => TimeLimitReached is not null;

    public int Archived => Count(CampaignOutcome.Archived);

    public int Skipped => Count(CampaignOutcome.Skipped);

    public int Failed => Count(CampaignOutcome.Failed);

    public int WouldArchive => Count(CampaignOutcome.WouldArchive);

    public int Stopped => Count(CampaignOutcome.Stopped);

    public int Interrupted => Count(CampaignOutcome.Interrupted);

    public long RowsRead => Campaigns.Sum(c => c.RowsRead);

    public BatchTotals Documents => Campaigns.Aggregate(default(BatchTotals), (sum, c) => sum + c.Documents);

    public BatchTotals Rollups => Campaigns.Aggregate(default(BatchTotals), (sum, c) => sum + c.Rollups);

    /// <summary>Documents written or confirmed unchanged per second of the whole run.</summary>
    public double DocumentsPerSecond =>
        Elapsed.TotalSeconds > 0 ? (Documents.Written + Documents.Unchanged) / Elapsed.TotalSeconds : 0;

    /// <summary>Time spent verifying, over all campaigns.</summary>
    public TimeSpan Verifying => TimeSpan.FromTicks(Campaigns.Sum(c => c.Verifying.Ticks));

    public bool Succeeded => Failed == 0;

    private int Count(CampaignOutcome outcome) => Campaigns.Count(c => c.Outcome == outcome);
}
