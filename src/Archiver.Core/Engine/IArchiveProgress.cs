using Archiver.Source;

namespace Archiver.Engine;

/// <summary>Receives progress while a run goes on; the CLI prints it, the worker will log it.</summary>
public interface IArchiveProgress
{
    void CampaignStarted(CampaignInfo campaign, long expectedRows);

    void RowsArchived(CampaignInfo campaign, long rowsRead, long expectedRows, BatchTotals documents);

    void Verifying(CampaignInfo campaign);

    /// <summary>While verifying: rows of the campaign compared so far, over all sets.</summary>
    void RowsVerified(CampaignInfo campaign, long rowsVerified, long expectedRows);

    /// <summary>A database's view indexes are being brought up to date (see <c>Archive:ViewRefreshEvery</c>).</summary>
    void RefreshingViews(string database);

    void CampaignFinished(CampaignResult result);
}
