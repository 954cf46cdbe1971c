using System.Globalization;

namespace Archiver.Engine;

/// <summary>
/// The run's time limit (<c>--max-runtime</c>) was reached between two batches: every batch sent
/// was saved and answered, nothing was flagged, and the next run carries on from the archive as it
/// stands.
/// </summary>
internal sealed class RunStoppedException(long rowsRead, long expectedRows)
    : ArchiverException(string.Create(CultureInfo.InvariantCulture,
        $"stopped by the time limit after {rowsRead:N0} of {expectedRows:N0} rows, between two batches; not flagged, the next run finishes it"));
