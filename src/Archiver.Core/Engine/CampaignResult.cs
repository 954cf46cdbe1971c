using Archiver.Source;

namespace Archiver.Engine;

/// <summary>The outcome of one campaign in an archive run.</summary>
public sealed record CampaignResult : CampaignReport
{
    public required CampaignOutcome Outcome { get; init; }

    /// <summary>Skipped because another process holds the campaign's lock: it is being archived, not done (a job retries it).</summary>
    public bool HeldElsewhere { get; init; }

    /// <summary>A sharded campaign's shards left to other jobs (<see cref="ArchiveRequest.DispatchShards"/>); empty otherwise.</summary>
    public IReadOnlyList<ShardRecord> PendingShards { get; init; } = [];

    /// <summary>Rows read from every set while copying.</summary>
    public long RowsRead { get; init; }

    /// <summary>Row documents.</summary>
    public BatchTotals Documents { get; init; }

    /// <summary>Per-minute rollup documents.</summary>
    public BatchTotals Rollups { get; init; }

    /// <summary>Bytes sent to CouchDB to write the campaign's documents and rollups (the <c>_bulk_docs</c> bodies, conflict rounds included).</summary>
    public long BytesWritten { get; init; }
}
