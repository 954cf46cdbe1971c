using Microsoft.Extensions.Logging;

namespace Archiver.CouchDb;

/// <summary>Log messages of replication and failover reads; event ids 2100–2199.</summary>
internal static partial class Log
{
    [LoggerMessage(CouchDbEvents.ReadFailedOver, LogLevel.Information, "Reading {What} from {Server} failed, trying the next server: {Reason}")]
    public static partial void ReadFailedOver(ILogger logger, string what, string server, string reason);

    [LoggerMessage(CouchDbEvents.ProbeFailed, LogLevel.Debug, "Server {Server} did not answer its probe {Path}")]
    public static partial void ProbeFailed(ILogger logger, string server, string path);

    [LoggerMessage(CouchDbEvents.ReplicaJournalUnavailable, LogLevel.Warning, "Cannot read which campaigns replica {Server} holds ({Reason}); reading from the central server")]
    public static partial void JournalUnavailable(ILogger logger, string server, string reason);

    [LoggerMessage(CouchDbEvents.ReplicationStarted, LogLevel.Information, "Replication {Id} to {Server} ({Database}) {Action}")]
    public static partial void ReplicationStarted(ILogger logger, string id, string server, string database, string action);

    [LoggerMessage(CouchDbEvents.ReplicaCampaignComplete, LogLevel.Information, "Campaign {CampaignId} is complete at replica {Server} ({Documents} documents)")]
    public static partial void ReplicaCampaignComplete(ILogger logger, long campaignId, string server, long documents);

    [LoggerMessage(CouchDbEvents.ReplicaDesignCopied, LogLevel.Information, "Design document {Id} of {Database} {Action} at replica {Server}")]
    public static partial void ReplicaDesignCopied(ILogger logger, string id, string database, string action, string server);
}
