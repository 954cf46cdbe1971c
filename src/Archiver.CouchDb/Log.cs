using Microsoft.Extensions.Logging;

namespace Archiver.CouchDb;

/// <summary>Source-generated log messages of the CouchDB client; event ids 2000–2999.</summary>
internal static partial class Log
{
    [LoggerMessage(CouchDbEvents.Request, LogLevel.Debug, "CouchDB {Method} {Path}: {Status} in {Milliseconds:F0} ms")]
    public static partial void Request(ILogger logger, string method, string path, int status, double milliseconds);

    [LoggerMessage(CouchDbEvents.QuorumNotMet, LogLevel.Warning, "CouchDB accepted {Path} with 202: the write quorum was not met; verification will read the documents back")]
    public static partial void QuorumNotMet(ILogger logger, string path);

    [LoggerMessage(CouchDbEvents.DatabaseCreated, LogLevel.Information, "CouchDB database {Database} created")]
    public static partial void DatabaseCreated(ILogger logger, string database);

    [LoggerMessage(CouchDbEvents.Retrying, LogLevel.Warning, "CouchDB {Request} failed ({Error}); trying again in {Seconds:F1} s")]
    public static partial void Retrying(ILogger logger, string request, string error, double seconds);

    [LoggerMessage(CouchDbEvents.PageIndexBuilt, LogLevel.Information, "Page index of campaign {CampaignId} ({Filter}) in {Database}: {Entries} entries, {Anchors} anchors, {Requests} requests, {Milliseconds:F0} ms")]
    public static partial void PageIndexBuilt(ILogger logger, string database, long campaignId, string filter, long entries, int anchors, int requests, double milliseconds);

    [LoggerMessage(CouchDbEvents.CircuitOpened, LogLevel.Warning, "CouchDB at {Endpoint} keeps failing: circuit open for {Seconds:F0} s, its requests fail at once")]
    public static partial void CircuitOpened(ILogger logger, string endpoint, double seconds);

    [LoggerMessage(CouchDbEvents.CircuitClosed, LogLevel.Information, "CouchDB at {Endpoint} answers again: circuit closed")]
    public static partial void CircuitClosed(ILogger logger, string endpoint);
}
