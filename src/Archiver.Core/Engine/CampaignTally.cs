namespace Archiver.Engine;

/// <summary>What a campaign's archive has done so far, kept outside the run so that a failure still reports it.</summary>
internal sealed class CampaignTally : RunTally
{
    public long ExpectedRows { get; set; }

    public long RowsRead { get; set; }

    /// <summary>Rows whose batch CouchDB has answered: behind <see cref="RowsRead"/> by the batches in flight.</summary>
    public long RowsSaved { get; set; }

    /// <summary>Row documents.</summary>
    public BatchTotals Documents { get; set; }

    /// <summary>Rollup documents.</summary>
    public BatchTotals Rollups { get; set; }

    /// <summary>Bytes of the <c>_bulk_docs</c> bodies that wrote documents and rollups.</summary>
    public long BytesWritten { get; set; }
}
