
namespace Archiver.Web;

/// <summary>Source-generated log messages of the web host; event ids 8000–8999.</summary>
internal static partial class Log
{
    [LoggerMessage(8000, LogLevel.Error, "Request {Path} failed")]
    public static partial void RequestFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(8001, LogLevel.Warning, "Dashboard request from {Remote} refused: {Reason}")]
    public static partial void DashboardRefused(ILogger logger, string remote, string reason);

    [LoggerMessage(8002, LogLevel.Information, "Archiver web host listening on {Urls}")]
    public static partial void Listening(ILogger logger, string urls);

    [LoggerMessage(8003, LogLevel.Warning, "Campaign gauges not refreshed: {Reason}")]
    public static partial void MetricsReadFailed(ILogger logger, string reason, Exception? exception);
}
