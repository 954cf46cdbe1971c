namespace Archiver.Engine;

/// <summary>What a campaign's run has done so far, kept outside the run so that a failure still reports it.</summary>
internal sealed class CampaignTally
{
    public long ExpectedRows { get; set; }

    public long RowsRead { get; set; }

    /// <summary>Rows whose batch CouchDB has answered: behind <see cref="RowsRead"/> by the batches in flight.</summary>
    public long RowsSaved { get; set; }

    public int Batches { get; set; }

    /// <summary>Rows compared with the archive so far, over the campaign's sets.</summary>
    public long RowsVerified { get; set; }

    /// <summary>Row documents.</summary>
    public BatchTotals Documents { get; set; }

    /// <summary>Rollup documents.</summary>
    public BatchTotals Rollups { get; set; }

    /// <summary>Time spent verifying (reading the archive back beside the rows, removing strays).</summary>
    public TimeSpan Verifying { get; set; }

    /// <summary>Per set, the checksum of the verified documents.</summary>
    public List<string> Checksums { get; } = [];
}
