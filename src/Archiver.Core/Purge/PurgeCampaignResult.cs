namespace Archiver.Purge;

/// <summary>The outcome of one campaign in a purge run.</summary>
public sealed record PurgeCampaignResult
{
    public required long CampaignId { get; init; }

    public string? Name { get; init; }

    public required PurgeOutcome Outcome { get; init; }

    /// <summary>Why it was skipped, blocked, failed or stopped, or what a dry run would do; null when purged.</summary>
    public string? Reason { get; init; }

    /// <summary>Rows the campaign had left in its sets when it was reached: what a dry run would delete.</summary>
    public long Rows { get; init; }

    /// <summary>Rows compared with their documents (every remaining row of every set).</summary>
    public long RowsVerified { get; init; }

    /// <summary>Rows deleted by this run.</summary>
    public long RowsDeleted { get; init; }

    /// <summary>Delete transactions committed by this run; for a dry run, the batches it would take.</summary>
    public int Batches { get; init; }

    /// <summary>Per set, <c>table=checksum</c> of the archive's documents as verified.</summary>
    public IReadOnlyList<string> Checksums { get; init; } = [];

    /// <summary>Per set, how its archive was proved: <c>table by revisions</c> (ids and revisions against what the flag recorded) or <c>table by contents</c> (every body read).</summary>
    public IReadOnlyList<string> VerifiedBy { get; init; } = [];

    public TimeSpan Elapsed { get; init; }

    public TimeSpan Verifying { get; init; }

    public TimeSpan Deleting { get; init; }

    public string Label => Name is null ? $"campaign {CampaignId}" : $"campaign {CampaignId} ({Name})";
}
