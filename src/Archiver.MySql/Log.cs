using Microsoft.Extensions.Logging;

namespace Archiver.MySql;

/// <summary>Source-generated log messages of the MySQL side; event ids 3000–3999.</summary>
internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Warning, "MySQL fault while {What}: {Reason}; retrying in {Seconds:F1} s")]
    public static partial void Retrying(ILogger logger, string what, string reason, double seconds);

    [LoggerMessage(3001, LogLevel.Warning, "The campaign lock {Name} was lost (its connection dropped); the campaign will not be flagged")]
    public static partial void LockLost(ILogger logger, string name);

    [LoggerMessage(3002, LogLevel.Information, "Archiver's schema in MySQL database {Database} migrated from version {From} to {To} ({Applied})")]
    public static partial void SchemaMigrated(ILogger logger, string database, int from, int to, string applied);
}
