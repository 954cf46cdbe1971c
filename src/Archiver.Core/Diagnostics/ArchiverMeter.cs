using System.Diagnostics.Metrics;
using Archiver.Engine;
using Archiver.Purge;

namespace Archiver.Diagnostics;

/// <summary>
/// The <c>Archiver</c> meter (System.Diagnostics.Metrics): what archive and purge runs did, per
/// campaign. Hosts export it (<c>/metrics</c> of <c>archiver serve</c> and of the worker, in
/// Prometheus text format); recording costs nothing when nothing listens.
/// </summary>
public static class ArchiverMeter
{
    public const string Name = "Archiver";

    private static readonly Meter Meter = new(Name, "1.0");

    private static readonly Counter<long> ArchiveRows = Meter.CreateCounter<long>("archive.rows", "{row}", "Rows read from MySQL by archive runs.");
    private static readonly Counter<long> ArchiveDocuments = Meter.CreateCounter<long>("archive.documents", "{document}", "Documents written to CouchDB (created or updated) by archive runs.");
    private static readonly Counter<long> ArchiveBytes = Meter.CreateCounter<long>("archive.bytes", "By", "Bytes sent to CouchDB by archive runs: the _bulk_docs bodies of their documents and rollups.");
    private static readonly Counter<long> ArchiveCampaigns = Meter.CreateCounter<long>("archive.campaigns", "{campaign}", "Campaigns an archive run finished, by outcome.");
    private static readonly Counter<long> ArchiveFailures = Meter.CreateCounter<long>("archive.failures", "{campaign}", "Campaigns an archive run failed to archive.");
    private static readonly Histogram<double> ArchiveSeconds = Meter.CreateHistogram<double>("archive.duration", "s", "Time to archive one campaign.");
    private static readonly Counter<long> PurgeRows = Meter.CreateCounter<long>("purge.rows", "{row}", "MySQL rows deleted by purge runs.");
    private static readonly Counter<long> PurgeDocuments = Meter.CreateCounter<long>("purge.documents", "{document}", "Archived documents purge runs compared with their rows before deleting them.");
    private static readonly Counter<long> PurgeCampaigns = Meter.CreateCounter<long>("purge.campaigns", "{campaign}", "Campaigns a purge run finished, by outcome.");
    private static readonly Counter<long> PurgeFailures = Meter.CreateCounter<long>("purge.failures", "{campaign}", "Campaigns a purge run failed or was blocked on.");
    private static readonly Histogram<double> PurgeSeconds = Meter.CreateHistogram<double>("purge.duration", "s", "Time to purge one campaign.");

    private static long _lastArchiveSuccess;
    private static long _lastPurgeSuccess;

    static ArchiverMeter()
    {
        Meter.CreateObservableGauge("archive.last_success", () => Volatile.Read(ref _lastArchiveSuccess) / 1000.0, "s", "Unix time of the last campaign archived by this process (0: none yet).");
        Meter.CreateObservableGauge("purge.last_success", () => Volatile.Read(ref _lastPurgeSuccess) / 1000.0, "s", "Unix time of the last campaign purged by this process (0: none yet).");
    }

    /// <summary>
    /// Creates the instruments now. A host calls it at start: an exporter enables instruments a
    /// moment after they appear, so measurements taken in the same instant as their creation (the
    /// first campaign's) would be lost.
    /// </summary>
    public static void Publish() => _ = Meter.Name;

    public static void Record(CampaignResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var outcome = new KeyValuePair<string, object?>("outcome", result.Outcome.ToString().ToLowerInvariant());
        ArchiveRows.Add(result.RowsRead);
        ArchiveDocuments.Add(result.Documents.Written);
        ArchiveBytes.Add(result.BytesWritten);
        ArchiveCampaigns.Add(1, outcome);
        ArchiveSeconds.Record(result.Elapsed.TotalSeconds, outcome);
        if (result.Outcome == CampaignOutcome.Failed)
        {
            ArchiveFailures.Add(1);
        }
        else if (result.Outcome == CampaignOutcome.Archived)
        {
            Interlocked.Exchange(ref _lastArchiveSuccess, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
    }

    public static void Record(PurgeCampaignResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var outcome = new KeyValuePair<string, object?>("outcome", result.Outcome.ToString().ToLowerInvariant());
        PurgeRows.Add(result.RowsDeleted);
        PurgeDocuments.Add(result.RowsVerified);
        PurgeCampaigns.Add(1, outcome);
        PurgeSeconds.Record(result.Elapsed.TotalSeconds, outcome);
        if (result.Outcome is PurgeOutcome.Failed or PurgeOutcome.Blocked)
        {
            PurgeFailures.Add(1);
        }
        else if (result.Outcome == PurgeOutcome.Purged)
        {
            Interlocked.Exchange(ref _lastPurgeSuccess, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
    }
}
