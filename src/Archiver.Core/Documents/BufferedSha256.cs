using System.Security.Cryptography;

namespace Archiver.Documents;

/// <summary>
/// SHA-256 over a stream of small pieces (ids, revisions, 32-byte content hashes: several per row),
/// gathered in a buffer and handed to the hash <see cref="Capacity"/> bytes at a time. Each hand-over
/// is a call into the platform's crypto library (OpenSSL here) that costs far more than copying a
/// few dozen bytes; the digest is the same as appending every piece on its own.
/// </summary>
internal sealed class BufferedSha256 : IDisposable
{
    internal const int Capacity = 4 * 1024;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _buffer = new byte[Capacity];
    private int _length;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.Length > Capacity - _length)
        {
            Flush();
            if (data.Length > Capacity)
            {
                _hash.AppendData(data);
                return;
            }
        }

        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    /// <summary>Room for <paramref name="size"/> bytes (at most <see cref="Capacity"/>) to be written and then committed with <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int size)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, Capacity);
        if (size > Capacity - _length)
        {
            Flush();
        }

        return _buffer.AsSpan(_length, size);
    }

    public void Advance(int count) => _length += count;

    /// <summary>The hash of everything appended so far; appending may go on.</summary>
    public byte[] GetCurrentHash()
    {
        Flush();
        return _hash.GetCurrentHash();
    }

    public void Dispose() => _hash.Dispose();

    private void Flush()
    {
        if (_length > 0)
        {
            _hash.AppendData(_buffer, 0, _length);
            _length = 0;
        }
    }
}
