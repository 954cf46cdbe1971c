namespace Archiver.Engine;

/// <summary>What a campaign's run has done so far, kept outside the run so that a failure still reports it.</summary>
internal sealed class CampaignTally
{
    public long ExpectedRows { get; set; }

    public long RowsRead { get; set; }

    public int Batches { get; set; }

    /// <summary>Row documents.</summary>
    public BatchTotals Documents { get; set; }

    /// <summary>Rollup documents.</summary>
    public BatchTotals Rollups { get; set; }

    /// <summary>Time spent verifying (reading the archive back beside the rows, removing strays).</summary>
    public TimeSpan Verifying { get; set; }

    /// <summary>Per set, the checksum of the verified documents.</summary>
    public List<string> Checksums { get; } = [];
}
