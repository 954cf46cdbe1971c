using System.Globalization;

namespace Archiver.Engine;

/// <summary>
/// The run's time limit (<c>--max-runtime</c>, see <see cref="RunLimit"/>) was reached between two
/// batches: every batch sent was answered, and the next run carries on from where this one stopped.
/// The skeleton reports the campaign as stopped with this message.
/// </summary>
internal sealed class RunStoppedException(string message) : ArchiverException(message)
{
    /// <summary>The archive's stop: nothing was flagged.</summary>
    public static RunStoppedException Archive(long rowsRead, long expectedRows) => new(string.Create(CultureInfo.InvariantCulture,
        $"stopped by the time limit after {rowsRead:N0} of {expectedRows:N0} rows, between two batches; not flagged, the next run finishes it"));
}
