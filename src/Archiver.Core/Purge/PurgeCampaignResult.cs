using Archiver.Engine;

namespace Archiver.Purge;

/// <summary>The outcome of one campaign in a purge run.</summary>
public sealed record PurgeCampaignResult : CampaignReport
{
    public required PurgeOutcome Outcome { get; init; }

    /// <summary>Rows the campaign had left in its sets when it was reached: what a dry run would delete.</summary>
    public long Rows { get; init; }

    /// <summary>Rows compared with their documents (every remaining row of every set).</summary>
    public long RowsVerified { get; init; }

    /// <summary>Rows deleted by this run.</summary>
    public long RowsDeleted { get; init; }

    /// <summary>Per set, how its archive was proved: <c>table by revisions</c> (ids and revisions against what the flag recorded) or <c>table by contents</c> (every body read).</summary>
    public IReadOnlyList<string> VerifiedBy { get; init; } = [];

    public TimeSpan Deleting { get; init; }
}
