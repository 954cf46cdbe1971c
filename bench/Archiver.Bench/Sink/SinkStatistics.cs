using System.Diagnostics;

namespace Archiver.Bench.Sink;

/// <summary>
/// What the sink saw of the archive's copy phase: row documents written (rollups and deletions not
/// counted) between the start of the first and the answer to the last <c>_bulk_docs</c> request that
/// carried rows. It times the copy on its own, so that a run whose verification cannot complete
/// against the sink still yields a copy rate.
/// </summary>
internal sealed class SinkStatistics
{
    private readonly Lock _lock = new();
    private long _firstStart;
    private long _lastEnd;

    public long RowDocuments { get; private set; }

    public long BulkRequests { get; private set; }

    public long Documents { get; private set; }

    public TimeSpan CopyElapsed
    {
        get
        {
            lock (_lock)
            {
                return _firstStart == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_firstStart, _lastEnd);
            }
        }
    }

    public void Record(long started, long ended, int documents, int rowDocuments)
    {
        lock (_lock)
        {
            BulkRequests++;
            Documents += documents;
            if (rowDocuments == 0)
            {
                return;
            }

            RowDocuments += rowDocuments;
            if (_firstStart == 0 || started < _firstStart)
            {
                _firstStart = started;
            }

            _lastEnd = Math.Max(_lastEnd, ended);
        }
    }
}
