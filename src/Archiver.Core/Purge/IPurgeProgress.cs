using Archiver.Source;

namespace Archiver.Purge;

/// <summary>Receives progress while a purge goes on; the CLI prints it.</summary>
public interface IPurgeProgress
{
    /// <summary>The campaign's lock is held and its sets are being verified against the archive.</summary>
    void Verifying(CampaignInfo campaign, long rows);

    /// <summary>Every set verified; <paramref name="rows"/> are about to be deleted.</summary>
    void Deleting(CampaignInfo campaign, long rows);

    void RowsDeleted(CampaignInfo campaign, long rowsDeleted, long rows);

    void CampaignFinished(PurgeCampaignResult result);
}
