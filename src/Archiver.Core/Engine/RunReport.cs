namespace Archiver.Engine;

/// <summary>What every run (archive or purge) reports as a whole, for the summary and the exit code.</summary>
public abstract record RunReport<TCampaign>(IReadOnlyList<TCampaign> Campaigns, TimeSpan Elapsed, bool DryRun, RunStopReason Stop)
    where TCampaign : CampaignReport
{
    public bool Cancelled => Stop == RunStopReason.Cancelled;

    /// <summary>Time spent verifying, over all campaigns.</summary>
    public TimeSpan Verifying => TimeSpan.FromTicks(Campaigns.Sum(c => c.Verifying.Ticks));

    public int Batches => Campaigns.Sum(c => c.Batches);

    protected int Count(Func<TCampaign, bool> predicate) => Campaigns.Count(predicate);
}
