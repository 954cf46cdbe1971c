using System.Diagnostics;
using Archiver.Sets;
using Archiver.Source;

namespace Archiver.Engine;

/// <summary>What differs between the archive and the purge inside the one skeleton, <see cref="CampaignRunner{TResult, TTally}"/>.</summary>
internal interface ICampaignRunSteps<TResult, TTally>
    where TResult : CampaignReport
    where TTally : RunTally
{
    /// <summary>Creates Archiver's tables if needed (never called by a dry run).</summary>
    Task PrepareAsync(CancellationToken cancellationToken);

    /// <summary>Every campaign the run should process, oldest first.</summary>
    Task<IReadOnlyList<CampaignInfo>> FindAsync(IReadOnlyList<ArchiveSet> sets, CancellationToken cancellationToken);

    /// <summary>For a campaign asked for by id: its result when it must not be processed, else null.</summary>
    TResult? Refuse(CampaignInfo campaign);

    TResult NoSuchCampaign(long campaignId);

    /// <summary>Rows per batch (what a dry run counts batches in).</summary>
    int BatchSize { get; }

    /// <summary>One set's share of a dry run's plan, as the run's summary says it.</summary>
    string DescribePlannedSet(ArchiveSet set, long rows, int batches);

    /// <summary>The dry run's result of one campaign, from what the runner counted: nothing is written.</summary>
    TResult Planned(CampaignInfo campaign, CampaignPlan plan);

    /// <summary>Processes one campaign under its lock, as read again under it.</summary>
    Task<TResult> ProcessAsync(CampaignInfo campaign, ICampaignLock campaignLock, IReadOnlyList<ArchiveSet> sets, TTally tally, Stopwatch stopwatch, CancellationToken cancellationToken);

    TResult Ended(CampaignInfo campaign, CampaignEnd end, string? reason, TTally tally, TimeSpan elapsed);

    /// <summary>Logs a campaign's failure and turns it into a result; <paramref name="reason"/> is the one line to show.</summary>
    TResult Failed(CampaignInfo campaign, Exception error, string reason, TTally tally, TimeSpan elapsed);

    /// <summary>Notes a processed campaign's result where the engine keeps one (not for dry runs).</summary>
    Task RecordAsync(TResult result, TTally tally);

    /// <summary>Reports a result to the run's progress.</summary>
    void Finished(TResult result);
}
