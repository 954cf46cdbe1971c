using Microsoft.Extensions.Logging;

namespace Archiver.Hangfire.MySql;

/// <summary>Source-generated log messages of the Hangfire storage; event ids 6000–6999.</summary>
internal static partial class Log
{
    [LoggerMessage(StorageEvents.SchemaInstalled, LogLevel.Information, "Hangfire schema {Prefix}* installed at version {Version} (was {Previous})")]
    public static partial void SchemaInstalled(ILogger logger, string prefix, int version, int previous);

    [LoggerMessage(StorageEvents.CommitRetry, LogLevel.Warning, "Commit lost a {Reason} (attempt {Attempt} of {Attempts}); retrying the whole transaction")]
    public static partial void CommitRetry(ILogger logger, string reason, int attempt, int attempts);

    [LoggerMessage(StorageEvents.LeaseLost, LogLevel.Warning, "Job {JobId} (queue row {QueueId}) was fetched by another worker after its lease ran out; this worker no longer owns it")]
    public static partial void LeaseLost(ILogger logger, string jobId, long queueId);

    [LoggerMessage(StorageEvents.Expired, LogLevel.Debug, "Removed {Count} expired rows from {Table}")]
    public static partial void Expired(ILogger logger, int count, string table);

    [LoggerMessage(StorageEvents.Aggregated, LogLevel.Debug, "Aggregated {Count} counter rows")]
    public static partial void Aggregated(ILogger logger, int count);

    [LoggerMessage(StorageEvents.RoundSkipped, LogLevel.Debug, "{Process} skipped a round: another server holds {Resource}")]
    public static partial void RoundSkipped(ILogger logger, string process, string resource);

    [LoggerMessage(StorageEvents.LockConnectionLost, LogLevel.Warning, "The lock connection died while holding {Count} lock(s); the server released them")]
    public static partial void LockConnectionLost(ILogger logger, int count);

    [LoggerMessage(StorageEvents.KeepAliveFailed, LogLevel.Warning, "Keep-alive of fetched jobs failed: {Reason}")]
    public static partial void KeepAliveFailed(ILogger logger, string reason);
}
