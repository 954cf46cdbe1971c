namespace Archiver.Engine;

/// <summary>What a campaign's run (archive or purge) has done so far, kept outside it so that a failure still reports it.</summary>
internal abstract class RunTally
{
    /// <summary>Rows compared with the archive so far, over the campaign's sets.</summary>
    public long RowsVerified { get; set; }

    public int Batches { get; set; }

    /// <summary>Time spent verifying.</summary>
    public TimeSpan Verifying { get; set; }

    /// <summary>Per set, <c>table=checksum</c> of the verified documents.</summary>
    public List<string> Checksums { get; } = [];
}
