using Archiver.Source;

namespace Archiver.Purge;

/// <summary>
/// Cuts a campaign's rows, given in key order, into chunks of <c>batchSize</c> rows. The MySQL side
/// feeds it (key, CRC32) pairs; the verifier feeds it the keys it streamed, so that the two chunk
/// lists can be compared key for key.
/// </summary>
public sealed class PurgeChunkBuilder
{
    private readonly int _batchSize;
    private readonly List<PurgeChunk> _chunks = [];
    private long _first;
    private long _last;
    private long _count;
    private decimal _keySum;
    private decimal _contentSum;
    private bool _any;

    public PurgeChunkBuilder(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _batchSize = batchSize;
    }

    /// <summary>Rows added so far.</summary>
    public long Rows { get; private set; }

    public void Add(long key, long contentCrc)
    {
        if (_any && key <= _last)
        {
            // Chunks are key ranges: rows out of order would put a row into two of them, or none.
            throw new ArgumentException($"keys must be added in ascending order: {key} after {_last}", nameof(key));
        }

        if (_count == 0)
        {
            _first = key;
        }

        _any = true;
        _last = key;
        _count++;
        _keySum += key;
        _contentSum += contentCrc;
        Rows++;
        if (_count == _batchSize)
        {
            Close();
        }
    }

    /// <summary>The chunks, the last one possibly short.</summary>
    public IReadOnlyList<PurgeChunk> Build()
    {
        if (_count > 0)
        {
            Close();
        }

        return _chunks;
    }

    private void Close()
    {
        _chunks.Add(new PurgeChunk(_first, _last, new SetFingerprint(_count, _keySum, _contentSum)));
        (_count, _keySum, _contentSum) = (0, 0, 0);
    }
}
