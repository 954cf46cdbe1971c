namespace Archiver.Engine;

/// <summary>What a campaign's run has done so far, kept outside the run so that a failure still reports it.</summary>
internal sealed class CampaignTally
{
    public long RowsRead { get; set; }

    public int Batches { get; set; }

    public BatchTotals Documents { get; set; }

    /// <summary>Time spent verifying (reading keys back, counting the campaign's documents, removing strays).</summary>
    public TimeSpan Verifying { get; set; }
}
