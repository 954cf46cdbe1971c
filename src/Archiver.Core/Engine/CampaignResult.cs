namespace Archiver.Engine;

/// <summary>The outcome of one campaign in a run.</summary>
public sealed record CampaignResult
{
    public required long CampaignId { get; init; }

    public string? Name { get; init; }

    public required CampaignOutcome Outcome { get; init; }

    /// <summary>Why it was skipped or failed; null when archived.</summary>
    public string? Reason { get; init; }

    /// <summary>Skipped because another process holds the campaign's lock: it is being archived, not done (a job retries it).</summary>
    public bool HeldElsewhere { get; init; }

    /// <summary>Rows read from every set while copying.</summary>
    public long RowsRead { get; init; }

    public int Batches { get; init; }

    /// <summary>Row documents.</summary>
    public BatchTotals Documents { get; init; }

    /// <summary>Per-minute rollup documents.</summary>
    public BatchTotals Rollups { get; init; }

    /// <summary>Per set, <c>table=checksum</c> of the verified documents.</summary>
    public IReadOnlyList<string> Checksums { get; init; } = [];

    public TimeSpan Elapsed { get; init; }

    /// <summary>The part of <see cref="Elapsed"/> spent verifying before the flag.</summary>
    public TimeSpan Verifying { get; init; }

    public string Label => Name is null ? $"campaign {CampaignId}" : $"campaign {CampaignId} ({Name})";
}
