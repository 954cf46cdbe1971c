using System.Security.Cryptography;

namespace Archiver.Documents;

/// <summary>
/// A running SHA-256 over documents' content hashes in id order: one value that stands for every
/// key and every field of a campaign's documents in one set. Computed over the rows on one side and
/// over the archive on the other; equal checksums mean equal contents.
/// </summary>
public sealed class ArchiveChecksum : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long Count { get; private set; }

    public void Add(ContentHash hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        _hash.AppendData(hash.Bytes);
        Count++;
    }

    /// <summary>The first 16 hex digits of the hash so far (enough to tell two archives apart in a message).</summary>
    public string Value => Convert.ToHexStringLower(_hash.GetCurrentHash())[..16];

    public void Dispose() => _hash.Dispose();
}
