using Archiver.Views;
using Microsoft.Extensions.Logging;

namespace Archiver;

/// <summary>Log messages of view deployment; event ids 1200–1299 (a partial of the engine's <c>Log</c>, kept beside the code it serves).</summary>
internal static partial class Log
{
    [LoggerMessage(ViewEvents.DesignDeployed, LogLevel.Information, "Design document {Design} deployed to {Database} ({Hash}), indexes built in {Seconds:F1} s")]
    public static partial void DesignDeployed(ILogger logger, string database, string design, string hash, double seconds);

    [LoggerMessage(ViewEvents.ProgressUnavailable, LogLevel.Debug, "No index build progress from {Database}'s server: {Reason}")]
    public static partial void ProgressUnavailable(ILogger logger, string database, string reason);
}
