using Archiver.Source;

namespace Archiver.Engine;

/// <summary>Receives progress while a run goes on; the CLI prints it, the worker will log it.</summary>
public interface IArchiveProgress
{
    void CampaignStarted(CampaignInfo campaign, long expectedRows);

    void RowsArchived(CampaignInfo campaign, long rowsRead, long expectedRows, BatchTotals documents);

    void Verifying(CampaignInfo campaign);

    void CampaignFinished(CampaignResult result);
}
