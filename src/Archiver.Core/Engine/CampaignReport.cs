namespace Archiver.Engine;

/// <summary>What every run (archive or purge) reports of one campaign; <see cref="CampaignResult"/> and <see cref="Purge.PurgeCampaignResult"/> add their own.</summary>
public abstract record CampaignReport
{
    public required long CampaignId { get; init; }

    public string? Name { get; init; }

    /// <summary>Why it was skipped, failed or stopped, or what a dry run would do; null when it succeeded.</summary>
    public string? Reason { get; init; }

    /// <summary>Batches written (archive) or delete transactions committed (purge); for a dry run, the batches it would take.</summary>
    public int Batches { get; init; }

    /// <summary>Per set, <c>table=checksum</c> of the verified documents.</summary>
    public IReadOnlyList<string> Checksums { get; init; } = [];

    public TimeSpan Elapsed { get; init; }

    /// <summary>The part of <see cref="Elapsed"/> spent verifying.</summary>
    public TimeSpan Verifying { get; init; }

    public string Label => Name is null ? $"campaign {CampaignId}" : $"campaign {CampaignId} ({Name})";
}
