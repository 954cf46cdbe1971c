namespace Archiver.Engine;

/// <summary>What every run (archive or purge) reports as a whole, for the summary and the exit code.</summary>
public abstract record RunReport<TCampaign>(IReadOnlyList<TCampaign> Campaigns, TimeSpan Elapsed, bool DryRun, RunStopReason Stop)
    where TCampaign : CampaignReport
{
    public bool Cancelled => Stop == RunStopReason.Cancelled;

    /// <summary>Time spent verifying, over all campaigns.</summary>
    public TimeSpan Verifying => TimeSpan.FromTicks(Campaigns.Sum(c => c.Verifying.Ticks));

    public int Batches => Campaigns.Sum(c => c.Batches);

    /// <summary>Why the run ended, in the operator's words; <paramref name="timeLimit"/> is the engine's own line for the time limit.</summary>
    protected string StopText(string timeLimit) => Stop switch
    {
        RunStopReason.TimeLimit => timeLimit,
        RunStopReason.Cancelled => "interrupted (Ctrl+C or SIGTERM); the next run carries on",

        // The run stops right after the campaign that met the open circuit, whose reason names the server.
        RunStopReason.ServiceUnavailable => (Campaigns.Count > 0 ? Campaigns[^1].Reason : null) ?? "a server is unavailable",
        _ => "all eligible campaigns processed",
    };

    protected int Count(Func<TCampaign, bool> predicate) => Campaigns.Count(predicate);
}
